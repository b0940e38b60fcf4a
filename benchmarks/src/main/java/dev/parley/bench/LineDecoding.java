package dev.parley.bench;

import static dev.parley.bench.ChatText.MAX_LINE_BYTES;
import static dev.parley.bench.ChatText.READ_SIZE;

import dev.parley.core.wire.Frame;
import dev.parley.core.wire.FrameDecoder;
import dev.parley.core.wire.LineDecoder;
import dev.parley.core.wire.LineFraming;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.string.StringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Line decoding of one {@link ChatText}, fed {@link ChatText#READ_SIZE} bytes at a time, by Parley
 * and by Netty's {@link LineBasedFrameDecoder}; one operation is one line (one message).
 *
 * <p>Each benchmark decodes the whole input once per invocation; subclasses fix the input and,
 * with {@code @OperationsPerInvocation}, its line count. Every decoder lives for the whole trial
 * (one per connection, as in a server): the input ends with a line feed, so each pass leaves it
 * empty for the next one. Before measuring, {@link #checkEveryDecoderAgrees} passes each decoder
 * over the input twice, as the benchmarks drive it, and fails the run unless all of them give the
 * input's lines.
 *
 * <ul>
 *   <li>{@code parleyLineDecoder}: Parley's {@link LineDecoder}, lines to Strings.
 *   <li>{@code parleyLineFraming}: the same plus the {@code !} escape layer of {@link LineFraming}.
 *   <li>{@code nettyDecoder}: Netty's decoder alone, called directly on a heap cumulation that the
 *       benchmark manages (no channel, no pipeline), lines to retained ByteBuf slices.
 *   <li>{@code nettyDecoderToString}: the same, then each frame decoded from UTF-8 to a String: the
 *       work Parley does, so this is the fair anchor for {@code parleyLineDecoder}.
 *   <li>{@code nettyEmbeddedChannel}: the decoder in an {@link EmbeddedChannel}, as Netty's own
 *       tests drive it: ByteToMessageDecoder's cumulation and the pipeline included.
 *   <li>{@code nettyEmbeddedChannelToString}: the same with Netty's {@link StringDecoder} after it.
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public abstract class LineDecoding {

    private final ChatText input;
    private final byte[] bytes;
    private final LineFraming framing = new LineFraming(MAX_LINE_BYTES);

    private FrameDecoder parleyLines;
    private FrameDecoder parleyFraming;
    private LineFrames nettyDecoder;
    private ByteBuf cumulation;
    private EmbeddedChannel nettyChannel;
    private EmbeddedChannel nettyStringChannel;

    protected LineDecoding(ChatText input) {
        this.input = input;
        this.bytes = input.bytes();
    }

    @Setup
    public void setUp() {
        parleyLines = new LineDecoder(MAX_LINE_BYTES);
        parleyFraming = framing.newDecoder();
        nettyDecoder = new LineFrames(MAX_LINE_BYTES);
        cumulation = Unpooled.buffer(2 * READ_SIZE);
        nettyChannel = new EmbeddedChannel(new LineBasedFrameDecoder(MAX_LINE_BYTES));
        nettyStringChannel = new EmbeddedChannel(
                new LineBasedFrameDecoder(MAX_LINE_BYTES), new StringDecoder(StandardCharsets.UTF_8));
        checkEveryDecoderAgrees();
    }

    @TearDown
    public void tearDown() {
        cumulation.release();
        nettyChannel.finishAndReleaseAll();
        nettyStringChannel.finishAndReleaseAll();
    }

    // The loops are written out in each benchmark, not shared through a callback, so that no call
    // site sees several callback types (a megamorphic call per line would be measured too).

    @Benchmark
    public void parleyLineDecoder(Blackhole blackhole) {
        FrameDecoder decoder = parleyLines;
        for (int offset = 0; offset < bytes.length; offset += READ_SIZE) {
            decoder.feed(bytes, offset, READ_SIZE);
            for (Frame frame = decoder.next(); frame instanceof Frame.Message; frame = decoder.next()) {
                blackhole.consume(((Frame.Message) frame).text());
            }
        }
    }

    @Benchmark
    public void parleyLineFraming(Blackhole blackhole) {
        FrameDecoder decoder = parleyFraming;
        for (int offset = 0; offset < bytes.length; offset += READ_SIZE) {
            decoder.feed(bytes, offset, READ_SIZE);
            for (Frame frame = decoder.next(); frame instanceof Frame.Message; frame = decoder.next()) {
                blackhole.consume(((Frame.Message) frame).text());
            }
        }
    }

    /** The other direction: each message to its line-framed bytes ({@code !} escape included). */
    @Benchmark
    public void parleyLineFramingEncode(Blackhole blackhole) {
        for (String message : input.messages()) {
            blackhole.consume(framing.encode(message));
        }
    }

    /** Appends each read to a cumulation, takes the frames, compacts: ByteToMessageDecoder's cycle. */
    @Benchmark
    public void nettyDecoder(Blackhole blackhole) throws Exception {
        ByteBuf in = cumulation;
        for (int offset = 0; offset < bytes.length; offset += READ_SIZE) {
            in.writeBytes(bytes, offset, READ_SIZE);
            for (ByteBuf frame = nettyDecoder.next(in); frame != null; frame = nettyDecoder.next(in)) {
                blackhole.consume(frame);
                frame.release();
            }
            in.discardReadBytes();
        }
    }

    @Benchmark
    public void nettyDecoderToString(Blackhole blackhole) throws Exception {
        ByteBuf in = cumulation;
        for (int offset = 0; offset < bytes.length; offset += READ_SIZE) {
            in.writeBytes(bytes, offset, READ_SIZE);
            for (ByteBuf frame = nettyDecoder.next(in); frame != null; frame = nettyDecoder.next(in)) {
                blackhole.consume(frame.toString(StandardCharsets.UTF_8));
                frame.release();
            }
            in.discardReadBytes();
        }
    }

    /** Each read wraps the input without copying, as a socket read hands Netty a filled buffer. */
    @Benchmark
    public void nettyEmbeddedChannel(Blackhole blackhole) {
        EmbeddedChannel channel = nettyChannel;
        for (int offset = 0; offset < bytes.length; offset += READ_SIZE) {
            channel.writeInbound(Unpooled.wrappedBuffer(bytes, offset, READ_SIZE));
            for (ByteBuf frame = channel.readInbound(); frame != null; frame = channel.readInbound()) {
                blackhole.consume(frame);
                frame.release();
            }
        }
    }

    @Benchmark
    public void nettyEmbeddedChannelToString(Blackhole blackhole) {
        EmbeddedChannel channel = nettyStringChannel;
        for (int offset = 0; offset < bytes.length; offset += READ_SIZE) {
            channel.writeInbound(Unpooled.wrappedBuffer(bytes, offset, READ_SIZE));
            for (String line = channel.readInbound(); line != null; line = channel.readInbound()) {
                blackhole.consume(line);
            }
        }
    }

    /** The decoders in the benchmarks' loops, collecting instead of consuming, for the self-check. */
    private void parley(FrameDecoder decoder, List<String> out) {
        for (int offset = 0; offset < bytes.length; offset += READ_SIZE) {
            decoder.feed(bytes, offset, READ_SIZE);
            for (Frame frame = decoder.next(); frame instanceof Frame.Message; frame = decoder.next()) {
                out.add(((Frame.Message) frame).text());
            }
        }
    }

    private void netty(List<String> out) throws Exception {
        for (int offset = 0; offset < bytes.length; offset += READ_SIZE) {
            cumulation.writeBytes(bytes, offset, READ_SIZE);
            for (ByteBuf frame = nettyDecoder.next(cumulation); frame != null; frame = nettyDecoder.next(cumulation)) {
                out.add(frame.toString(StandardCharsets.UTF_8));
                frame.release();
            }
            cumulation.discardReadBytes();
        }
    }

    private void embedded(EmbeddedChannel channel, List<String> out) {
        for (int offset = 0; offset < bytes.length; offset += READ_SIZE) {
            channel.writeInbound(Unpooled.wrappedBuffer(bytes, offset, READ_SIZE));
            for (Object frame = channel.readInbound(); frame != null; frame = channel.readInbound()) {
                if (frame instanceof ByteBuf) {
                    out.add(((ByteBuf) frame).toString(StandardCharsets.UTF_8));
                    ((ByteBuf) frame).release();
                } else {
                    out.add((String) frame);
                }
            }
        }
    }

    /** Fails the run unless every benchmark body decodes exactly the expected lines. */
    private void checkEveryDecoderAgrees() {
        try {
            List<String> wire = input.wireLines();
            expect("parleyLineDecoder", wire, out -> parley(parleyLines, out));
            expect("parleyLineFraming", input.messages(), out -> parley(parleyFraming, out));
            expect("nettyDecoder", wire, this::netty);
            expect("nettyEmbeddedChannel", wire, out -> embedded(nettyChannel, out));
            expect("nettyEmbeddedChannelToString", wire, out -> embedded(nettyStringChannel, out));
            List<String> encoded = new ArrayList<>();
            for (String message : input.messages()) {
                byte[] line = framing.encode(message);
                encoded.add(new String(line, 0, line.length - 1, StandardCharsets.UTF_8));
            }
            if (!encoded.equals(wire)) {
                throw new IllegalStateException("parleyLineFramingEncode does not give the input's lines");
            }
        } catch (Exception e) {
            throw new IllegalStateException("benchmark self-check failed", e);
        }
    }

    private interface Decoding {
        void run(List<String> out) throws Exception;
    }

    private static void expect(String name, List<String> expected, Decoding decoding) throws Exception {
        for (int pass = 0; pass < 2; pass++) {
            List<String> out = new ArrayList<>();
            decoding.run(out);
            if (!out.equals(expected)) {
                throw new IllegalStateException(name + " decoded " + out.size() + " lines, not the "
                        + expected.size() + " expected (or different ones) on pass " + pass);
            }
        }
    }

    /** Netty's decoder with its one-frame decode step opened up, so no channel is needed. */
    private static final class LineFrames extends LineBasedFrameDecoder {
        LineFrames(int maxLength) {
            super(maxLength);
        }

        /** The next line as a retained slice of {@code in}, or null; a context is needed only to report a too-long line, which this input never has. */
        ByteBuf next(ByteBuf in) throws Exception {
            return (ByteBuf) decode(null, in);
        }
    }
}
