package dev.parley.core.wire;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One way of cutting an input into reads: each read is a separate array fed at offset 0, as a
 * socket adapter that reuses its read buffer would feed them.
 */
record Chunks(List<byte[]> reads, List<Integer> starts) {

    /**
     * Cuts {@code input} into reads whose sizes follow {@code sizes} round and round (a size of 0
     * is an empty read). Sizes that are all 0 would never finish; then the rest is one read.
     */
    static Chunks cut(byte[] input, List<Integer> sizes) {
        List<byte[]> reads = new ArrayList<>();
        List<Integer> starts = new ArrayList<>();
        boolean anyPositive = sizes.stream().anyMatch(s -> s > 0);
        int pos = 0;
        int i = 0;
        while (pos < input.length) {
            int size = anyPositive && !sizes.isEmpty() ? sizes.get(i++ % sizes.size()) : input.length - pos;
            int end = Math.min(input.length, pos + size);
            starts.add(pos);
            reads.add(Arrays.copyOfRange(input, pos, end));
            pos = end;
        }
        return new Chunks(reads, starts);
    }

    /** One read per byte. */
    static Chunks byteByByte(byte[] input) {
        return cut(input, List.of(1));
    }

    /** The whole input as one read. */
    static Chunks whole(byte[] input) {
        return cut(input, List.of(Math.max(1, input.length)));
    }

    /** Feeds every read to {@code decoder}, draining after each, then ends the input. */
    List<String> decode(FrameDecoder decoder) {
        List<String> out = new ArrayList<>();
        for (byte[] read : reads) {
            decoder.feed(read);
            Decoding.drain(decoder, out);
        }
        decoder.endOfInput();
        Decoding.drain(decoder, out);
        return out;
    }
}
