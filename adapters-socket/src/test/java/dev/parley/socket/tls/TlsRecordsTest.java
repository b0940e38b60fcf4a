package dev.parley.socket.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.core.session.Input;
import dev.parley.core.session.Refusal;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The record counter with an {@link EmbeddedChannel}: a stand-in for the TLS handler that checks it
 * is given whole records and "decrypts" those whose first byte is {@code D}, as the real one passes
 * on application data; the rest are records without data (key updates, empty records).
 */
class TlsRecordsTest {

    /** Takes whole records only; passes a data record's payload on, nothing for the others. */
    private static final class FakeTls extends ChannelInboundHandlerAdapter {
        final List<Integer> lengths = new ArrayList<>();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf record = (ByteBuf) msg;
            try {
                int length = record.getUnsignedShort(record.readerIndex() + 3);
                assertEquals(5 + length, record.readableBytes(), "one whole record per read");
                lengths.add(length);
                if (length > 0 && record.getByte(record.readerIndex() + 5) == 'D') {
                    ctx.fireChannelRead(record.retainedSlice(record.readerIndex() + 5, length));
                }
            } finally {
                record.release();
            }
        }
    }

    /** What reaches the conversation: the plaintext and the events. */
    private static final class Behind extends ChannelInboundHandlerAdapter {
        final StringBuilder plaintext = new StringBuilder();
        final List<Object> events = new ArrayList<>();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf bytes = (ByteBuf) msg;
            plaintext.append(bytes.toString(java.nio.charset.StandardCharsets.US_ASCII));
            bytes.release();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            events.add(event);
        }
    }

    private final FakeTls tls = new FakeTls();
    private final Behind behind = new Behind();
    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final TlsRecords records;

    TlsRecordsTest() {
        TlsRecords.addLast(channel.pipeline(), tls);
        channel.pipeline().addLast(behind);
        records = channel.pipeline().get(TlsRecords.class);
    }

    private static byte[] record(int type, String payload) {
        byte[] body = payload.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] out = new byte[5 + body.length];
        out[0] = (byte) type;
        out[1] = 3;
        out[2] = 3;
        out[3] = (byte) (body.length >>> 8);
        out[4] = (byte) body.length;
        System.arraycopy(body, 0, out, 5, body.length);
        return out;
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static final byte[] KEY_UPDATE = record(23, "k".repeat(17)); // 22 bytes on the wire, as a real one

    @Test
    void recordsSplitAnyHowReachTheTlsHandlerWholeAndTheStartOfOneIsHeldHere() {
        byte[] wire = concat(record(22, "hello"), record(23, "Done"), record(23, "D" + "x".repeat(300)));
        for (byte b : wire) {
            channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
            assertTrue(records.heldBytes() <= 5 + 301, "at most one record's room is held: " + records.heldBytes());
        }
        assertEquals(List.of(5, 4, 301), tls.lengths);
        assertEquals("Done" + "D" + "x".repeat(300), behind.plaintext.toString());
        assertEquals(0, records.heldBytes());

        channel.writeInbound(Unpooled.wrappedBuffer(concat(record(23, "Dabc"), java.util.Arrays.copyOf(record(23, "D12345"), 7))));
        assertEquals(5 + 6, records.heldBytes(), "the next record came in part: the room its header announced is held");
        assertEquals(4, records.records());
        assertEquals(1, records.controlRecords(), "only the handshake's record carried no data");
    }

    @Test
    void pastTheLimitOfRecordsWithoutDataTheConnectionIsDroppedAndNothingMoreIsRead() {
        channel.writeInbound(Unpooled.wrappedBuffer(record(22, "client hello")));
        for (int i = 1; i < TlsRecords.CONTROL_LIMIT; i++) {
            channel.writeInbound(Unpooled.wrappedBuffer(concat(KEY_UPDATE, record(23, "Dline"))));
        }
        assertEquals(TlsRecords.CONTROL_LIMIT, records.controlRecords(), "records with data do not count, nor buy any");
        assertEquals(List.of(), behind.events);

        channel.writeInbound(Unpooled.wrappedBuffer(concat(KEY_UPDATE, KEY_UPDATE, record(23, "Dafter"))));
        assertEquals(List.of(new Input.Drop(new Refusal.NotAMessage(
                "more than 32 TLS records that carry no data (key updates, empty records)"))), behind.events);
        assertFalse(behind.plaintext.toString().contains("after"), "nothing after the one too many is read");
        int handed = tls.lengths.size();
        channel.writeInbound(Unpooled.wrappedBuffer(concat(KEY_UPDATE, KEY_UPDATE)));
        assertEquals(handed, tls.lengths.size());
        assertEquals(1, behind.events.size(), "told once");
        assertEquals(0, records.heldBytes());
    }

    @Test
    void bytesThatAreNotTlsRecordsGoOnAsTheyCameForTheTlsHandlerToRefuse() {
        List<ByteBuf> passed = new ArrayList<>();
        EmbeddedChannel raw = new EmbeddedChannel();
        TlsRecords.addLast(raw.pipeline(), new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                passed.add((ByteBuf) msg);
            }
        });
        raw.writeInbound(Unpooled.wrappedBuffer(concat(record(22, "hi"), "GET / HTTP/1.1\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII))));
        raw.writeInbound(Unpooled.wrappedBuffer(new byte[] {1, 2, 3}));
        assertEquals(3, passed.size(), "the record, then the rest as it came");
        assertEquals("GET / HTTP/1.1\r\n", passed.get(1).toString(java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals(3, passed.get(2).readableBytes());
        passed.forEach(ByteBuf::release);
        assertEquals(0, raw.pipeline().get(TlsRecords.class).heldBytes());
    }

    @Test
    void aHeaderAloneIsChargedTheRoomOfTheRecordItAnnounces() {
        channel.writeInbound(Unpooled.wrappedBuffer(java.util.Arrays.copyOf(record(23, "x".repeat(16_000)), 5)));
        assertEquals(5 + 16_000, records.heldBytes(), "what it costs, not what came: a buffer that large waits for the rest");
        assertEquals(5 + 16_000, TlsRecords.heldIn(channel.pipeline()));
        assertEquals(0, TlsRecords.heldIn(new EmbeddedChannel().pipeline()), "no TLS, nothing held");
    }

    @Test
    void whatIsHeldIsReleasedWhenTheConnectionCloses() {
        ByteBuf start = Unpooled.wrappedBuffer(java.util.Arrays.copyOf(record(23, "D" + "y".repeat(1000)), 600));
        channel.writeInbound(start);
        assertEquals(5 + 1001, records.heldBytes());
        channel.close();
        assertEquals(0, records.heldBytes());
        assertEquals(0, start.refCnt());
    }
}
