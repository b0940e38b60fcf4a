package dev.parley.socket.tls;

import dev.parley.core.session.Input;
import dev.parley.core.session.Refusal;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SslHandler;

/**
 * The TLS records a peer sends, cut out of the ciphertext before the {@link SslHandler} sees them
 * and handed to it one whole record at a time, whatever the provider: a record after which the
 * handler passed on no application data carried none (a handshake message, a key update, an empty
 * record, an alert). A peer may send {@value #CONTROL_LIMIT} such records on one connection; past
 * that its connection ends, told why as for anything its transport carries that is not a message
 * (an {@link Input.Drop} event for the conversation's driver, which refuses it in the log when no
 * conversation has started yet), and nothing more it sends is read.
 *
 * <p>Why {@value #CONTROL_LIMIT}: a TLS 1.3 client sends at most seven records without data in its
 * handshake (ClientHello, a second one after a HelloRetryRequest, two change_cipher_spec for
 * middleboxes, Certificate, CertificateVerify, Finished), then only a rare KeyUpdate (the JDK's
 * after 2^37 bytes, OpenSSL's and BoringSSL's when asked) and its close_notify; 32 leaves room
 * for 25 key updates in a connection's life, and a flood of key updates (each a key derivation and
 * a new cipher) costs the server 32 of them at most, where it cost as many as the peer cared to
 * send. It is BoringSSL's own bound on key updates and on empty records in a row (which it ends
 * with an unexpected_message alert and no word to the client): over a whole connection, this one
 * trips first, so a flood ends the same way, with the same words, whichever provider carries TLS.
 *
 * <p>The start of a record not yet complete waits here ({@link #heldBytes()}, at most a header and
 * 2^14 + 256 bytes), not in the {@link SslHandler}, which only ever gets whole records. A header that
 * is not TLS's hands everything on as it comes, for the {@link SslHandler} to refuse.
 */
public final class TlsRecords extends ChannelInboundHandlerAdapter {

    /** How many records without application data one connection may send, its handshake's included. */
    static final int CONTROL_LIMIT = 32;

    /** The pipeline names of this handler and of its counter behind the {@link SslHandler}. */
    static final String NAME = "tls-records";
    static final String DATA_NAME = "tls-data";

    private static final int HEADER = 5;
    /** The largest record TLS allows: TLSCiphertext carries at most 2^14 + 256 bytes. */
    private static final int MAX_LENGTH = (1 << 14) + 256;

    private final Plaintext plaintext = new Plaintext();
    private ByteBuf partial;
    private int need;
    private long records;
    private long control;
    private boolean opaque;
    private boolean over;

    /** Adds the counter, {@code tls} and what follows it at the end of {@code pipeline}. */
    public static void addLast(ChannelPipeline pipeline, ChannelHandler tls) {
        TlsRecords records = new TlsRecords();
        pipeline.addLast(NAME, records);
        pipeline.addLast("tls", tls);
        pipeline.addLast(DATA_NAME, records.plaintext);
    }

    /** Puts the counter and {@code tls} in the place of {@code gate}, whose bytes come to the counter first. */
    static void replace(ChannelHandlerContext gate, SslHandler tls) {
        TlsRecords records = new TlsRecords();
        gate.pipeline().addAfter(gate.name(), DATA_NAME, records.plaintext);
        gate.pipeline().addAfter(gate.name(), "tls", tls);
        gate.pipeline().replace(gate.handler(), NAME, records);
    }

    /**
     * The bytes of the peer's data this connection's TLS holds now, by what they cost: the buffer
     * for a record that is not complete yet, made as large as its header announced (the
     * {@link SslHandler} behind holds none). For the memory account.
     */
    long heldBytes() {
        return partial == null ? 0 : partial.capacity();
    }

    /** What the TLS records of {@code pipeline} hold for its peer ({@link #heldBytes()}); 0 without TLS. */
    public static long heldIn(ChannelPipeline pipeline) {
        TlsRecords records = pipeline.get(TlsRecords.class);
        return records == null ? 0 : records.heldBytes();
    }

    /** The records handed on so far, and those of them that carried no application data. */
    long records() {
        return records;
    }

    long controlRecords() {
        return control;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (opaque) {
            ctx.fireChannelRead(msg);
            return;
        }
        ByteBuf in = (ByteBuf) msg;
        try {
            while (in.isReadable() && !over && !opaque && ctx.channel().isOpen()) {
                if (partial != null) {
                    partial.writeBytes(in, Math.min(need - partial.readableBytes(), in.readableBytes()));
                    if (partial.readableBytes() < need) {
                        return; // held until the rest comes
                    }
                    if (need == HEADER) {
                        int length = length(partial, 0);
                        if (length < 0) {
                            handOn(ctx, in);
                        } else {
                            ByteBuf whole = ctx.alloc().heapBuffer(HEADER + length, HEADER + length).writeBytes(partial);
                            partial.release();
                            partial = whole;
                            need = HEADER + length;
                        }
                        continue;
                    }
                    ByteBuf record = partial;
                    partial = null;
                    forward(ctx, record);
                } else if (in.readableBytes() < HEADER) {
                    begin(ctx, in, HEADER);
                } else {
                    int length = length(in, in.readerIndex());
                    if (length < 0) {
                        handOn(ctx, in);
                    } else if (in.readableBytes() >= HEADER + length) {
                        forward(ctx, in.readRetainedSlice(HEADER + length));
                    } else {
                        begin(ctx, in, HEADER + length);
                    }
                }
            }
            if (over && partial != null) {
                partial.release();
                partial = null;
            }
        } finally {
            in.release();
        }
    }

    /** Holds the rest of {@code in}, the start of a record of {@code size} bytes (or of its header). */
    private void begin(ChannelHandlerContext ctx, ByteBuf in, int size) {
        need = size;
        partial = ctx.alloc().heapBuffer(size, size).writeBytes(in);
    }

    /** Not TLS: what is held and what came go on as they are, for the TLS handler to refuse; so does all that follows. */
    private void handOn(ChannelHandlerContext ctx, ByteBuf in) {
        opaque = true;
        if (partial != null) {
            ByteBuf held = partial;
            partial = null;
            ctx.fireChannelRead(held);
        }
        ctx.fireChannelRead(in.readRetainedSlice(in.readableBytes()));
    }

    /** One whole record to the TLS handler; one that gave no application data counts against the limit. */
    private void forward(ChannelHandlerContext ctx, ByteBuf record) {
        records++;
        long before = plaintext.reads;
        ctx.fireChannelRead(record);
        if (plaintext.reads == before && ++control > CONTROL_LIMIT) {
            over = true;
            ctx.fireUserEventTriggered(new Input.Drop(new Refusal.NotAMessage("more than " + CONTROL_LIMIT
                    + " TLS records that carry no data (key updates, empty records)")));
        }
    }

    /** The length a record header at {@code at} announces, or -1 when it is not a TLS record's header. */
    private static int length(ByteBuf bytes, int at) {
        int type = bytes.getUnsignedByte(at);
        int major = bytes.getUnsignedByte(at + 1);
        int length = bytes.getUnsignedShort(at + 3);
        return type >= 20 && type <= 24 && major == 3 && length <= MAX_LENGTH ? length : -1;
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (partial != null) {
            partial.release();
            partial = null;
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        handlerRemoved(ctx);
        ctx.fireChannelInactive();
    }

    /** Behind the {@link SslHandler}: counts the reads of application data it passes on. */
    private static final class Plaintext extends ChannelInboundHandlerAdapter {
        long reads;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof ByteBuf && ((ByteBuf) msg).isReadable()) {
                reads++;
            }
            ctx.fireChannelRead(msg);
        }
    }
}
