package dev.parley.core.wire;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Feeds a decoder in chosen pieces and lists what comes out, for codec tests. */
public final class Decoding {

    /** How a too-long frame shows up in the lists returned here. */
    public static final String TOO_LONG = "<too long>";

    /** How a frame the end of input cut off shows up in the lists returned here. */
    public static String cutOff(String text) {
        return "<cut off:" + text + ">";
    }

    /** True for a {@link #cutOff} entry. */
    public static boolean isCutOff(String entry) {
        return entry.startsWith("<cut off:") && entry.endsWith(">");
    }

    /** The text of a {@link #cutOff} entry. */
    public static String cutOffText(String entry) {
        return entry.substring("<cut off:".length(), entry.length() - 1);
    }

    private Decoding() {}

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Decodes {@code input} fed in pieces cut at {@code cuts} (ascending), then ends the input. */
    static List<String> decode(FrameDecoder decoder, byte[] input, int... cuts) {
        List<String> out = new ArrayList<>();
        int from = 0;
        for (int cut : cuts) {
            decoder.feed(input, from, cut - from);
            drain(decoder, out);
            from = cut;
        }
        decoder.feed(input, from, input.length - from);
        drain(decoder, out);
        decoder.endOfInput();
        drain(decoder, out);
        return out;
    }

    /** Decodes {@code input} fed one byte at a time. */
    static List<String> decodeByteByByte(FrameDecoder decoder, byte[] input) {
        int[] cuts = new int[Math.max(0, input.length - 1)];
        for (int i = 0; i < cuts.length; i++) {
            cuts[i] = i + 1;
        }
        return decode(decoder, input, cuts);
    }

    static void drain(FrameDecoder decoder, List<String> out) {
        while (true) {
            Frame frame;
            try {
                frame = decoder.next();
            } catch (FrameTooLongException e) {
                out.add(TOO_LONG);
                continue;
            }
            if (frame instanceof Frame.Message) {
                out.add(((Frame.Message) frame).text());
            } else if (frame instanceof Frame.Failure) {
                out.add("<failure:" + ((Frame.Failure) frame).reason() + ">");
            } else if (frame instanceof Frame.Notice) {
                out.add("<notice:" + ((Frame.Notice) frame).text() + ">");
            } else if (frame instanceof Frame.CutOff) {
                out.add(cutOff(((Frame.CutOff) frame).text()));
            } else {
                return;
            }
        }
    }
}
