package dev.parley.socket.tls;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The few pieces of ASN.1 DER that a self-signed certificate and a key file's envelope need, written
 * and read by hand: the JDK can sign and parse certificates but has no public API to build one.
 * Only definite lengths; the reader refuses anything else.
 */
final class Der {

    static final int INTEGER = 0x02;
    static final int BIT_STRING = 0x03;
    static final int OCTET_STRING = 0x04;
    static final int NULL = 0x05;
    static final int OID = 0x06;
    static final int UTF8_STRING = 0x0C;
    static final int UTC_TIME = 0x17;
    static final int GENERALIZED_TIME = 0x18;
    static final int SEQUENCE = 0x30;
    static final int SET = 0x31;
    static final int BOOLEAN = 0x01;

    private Der() {}

    static byte[] tlv(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
        out.write(tag);
        int n = content.length;
        if (n < 0x80) {
            out.write(n);
        } else {
            int bytes = n < 0x100 ? 1 : n < 0x10000 ? 2 : n < 0x1000000 ? 3 : 4;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write(n >>> (8 * i));
            }
        }
        out.write(content, 0, n);
        return out.toByteArray();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.write(part, 0, part.length);
        }
        return out.toByteArray();
    }

    static byte[] sequence(byte[]... parts) {
        return tlv(SEQUENCE, concat(parts));
    }

    static byte[] set(byte[]... parts) {
        return tlv(SET, concat(parts));
    }

    static byte[] integer(BigInteger value) {
        return tlv(INTEGER, value.toByteArray());
    }

    static byte[] bool(boolean value) {
        return tlv(BOOLEAN, new byte[] {(byte) (value ? 0xFF : 0)});
    }

    static byte[] nul() {
        return new byte[] {NULL, 0};
    }

    static byte[] octets(byte[] value) {
        return tlv(OCTET_STRING, value);
    }

    /** A BIT STRING of whole bytes. */
    static byte[] bits(byte[] value) {
        byte[] content = new byte[value.length + 1];
        System.arraycopy(value, 0, content, 1, value.length);
        return tlv(BIT_STRING, content);
    }

    static byte[] utf8(String text) {
        return tlv(UTF8_STRING, text.getBytes(StandardCharsets.UTF_8));
    }

    /** A context-specific tag: {@code [n]}, constructed (explicit, or implicit over a constructed type) or primitive. */
    static byte[] context(int n, boolean constructed, byte[] content) {
        return tlv(0x80 | (constructed ? 0x20 : 0) | n, content);
    }

    static byte[] oid(String dotted) {
        String[] arcs = dotted.split("\\.");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(Integer.parseInt(arcs[0]) * 40 + Integer.parseInt(arcs[1]));
        for (int i = 2; i < arcs.length; i++) {
            long arc = Long.parseLong(arcs[i]);
            int groups = 1;
            while ((arc >>> (7 * groups)) != 0) {
                groups++;
            }
            for (int g = groups - 1; g >= 0; g--) {
                out.write((int) ((arc >>> (7 * g)) & 0x7F) | (g == 0 ? 0 : 0x80));
            }
        }
        return tlv(OID, out.toByteArray());
    }

    /** RFC 5280's Time: UTCTime through 2049, GeneralizedTime from 2050. */
    static byte[] time(ZonedDateTime at) {
        ZonedDateTime utc = at.withZoneSameInstant(ZoneOffset.UTC);
        if (utc.getYear() < 2050) {
            return tlv(UTC_TIME, DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'", Locale.ROOT).format(utc)
                    .getBytes(StandardCharsets.US_ASCII));
        }
        return tlv(GENERALIZED_TIME, DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'", Locale.ROOT).format(utc)
                .getBytes(StandardCharsets.US_ASCII));
    }

    /** One element read: its tag and its content. */
    record Element(int tag, byte[] content) {

        /** The elements inside a constructed element. */
        List<Element> children() throws MalformedException {
            return read(content);
        }

        String oid() throws MalformedException {
            if (tag != OID || content.length == 0) {
                throw new MalformedException("expected an object identifier");
            }
            StringBuilder out = new StringBuilder();
            out.append(content[0] / 40 & 0xFF).append('.').append((content[0] & 0xFF) % 40);
            long arc = 0;
            for (int i = 1; i < content.length; i++) {
                arc = (arc << 7) | (content[i] & 0x7F);
                if ((content[i] & 0x80) == 0) {
                    out.append('.').append(arc);
                    arc = 0;
                }
            }
            return out.toString();
        }

        /** This element written back as DER. */
        byte[] encoded() {
            return tlv(tag, content);
        }
    }

    /** The DER was not what was expected; the message says what. */
    static final class MalformedException extends Exception {
        private static final long serialVersionUID = 1L;

        MalformedException(String message) {
            super(message);
        }
    }

    /** The elements laid one after the other in {@code bytes} (single-byte tags, definite lengths only). */
    static List<Element> read(byte[] bytes) throws MalformedException {
        List<Element> out = new ArrayList<>();
        int at = 0;
        while (at < bytes.length) {
            if (at + 2 > bytes.length) {
                throw new MalformedException("truncated");
            }
            int tag = bytes[at++] & 0xFF;
            if ((tag & 0x1F) == 0x1F) {
                throw new MalformedException("multi-byte tag");
            }
            int first = bytes[at++] & 0xFF;
            long length;
            if (first < 0x80) {
                length = first;
            } else {
                int count = first & 0x7F;
                if (count == 0 || count > 4 || at + count > bytes.length) {
                    throw new MalformedException("bad length");
                }
                length = 0;
                for (int i = 0; i < count; i++) {
                    length = (length << 8) | (bytes[at++] & 0xFF);
                }
            }
            if (length > bytes.length - at) {
                throw new MalformedException("truncated");
            }
            byte[] content = new byte[(int) length];
            System.arraycopy(bytes, at, content, 0, (int) length);
            at += (int) length;
            out.add(new Element(tag, content));
        }
        return out;
    }

    /** {@link #nesting}'s answer for input that is not BER. */
    static final int MALFORMED = -1;

    /**
     * How deeply the elements in {@code bytes} nest (BER: indefinite lengths too), counting the
     * contents of OCTET and BIT STRINGs that are elements themselves (a certificate's extensions and
     * key, which a parser decodes in turn): at most {@code limit}, {@code limit + 1} as soon as the
     * input is found deeper, whatever follows; {@link #MALFORMED} when it is not BER. Iterative, so
     * that input built to exhaust a recursive parser's stack is measured without risk.
     */
    static int nesting(byte[] bytes, int limit) {
        return scan(bytes, 0, bytes.length, 0, limit);
    }

    /** The deepest level in {@code bytes[from, to)}, whose elements are at level {@code base + 1}. */
    private static int scan(byte[] b, int from, int to, int base, int limit) {
        int[] ends = new int[limit + 1]; // where each open constructed element ends; -1: at its end-of-contents
        int open = 0;
        int deepest = base;
        int at = from;
        while (true) {
            int end = open == 0 ? to : ends[open - 1];
            if (at == end) {
                if (open == 0) {
                    return deepest;
                }
                open--;
                continue;
            }
            if (at >= to || (end >= 0 && at > end)) {
                return MALFORMED;
            }
            if (end < 0 && at + 1 < to && b[at] == 0 && b[at + 1] == 0) {
                at += 2; // end-of-contents: the indefinite element closes
                open--;
                continue;
            }
            int tag = b[at++] & 0xFF;
            if ((tag & 0x1F) == 0x1F) {
                for (int i = 0; at < to && (b[at++] & 0x80) != 0; i++) {
                    if (i == 4) {
                        return MALFORMED;
                    }
                }
            }
            if (at >= to) {
                return MALFORMED;
            }
            int first = b[at++] & 0xFF;
            int length;
            if (first == 0x80) {
                length = -1;
            } else if (first < 0x80) {
                length = first;
            } else {
                int count = first & 0x7F;
                if (count > 3 || at + count > to) {
                    return MALFORMED;
                }
                length = 0;
                for (int i = 0; i < count; i++) {
                    length = (length << 8) | (b[at++] & 0xFF);
                }
            }
            boolean constructed = (tag & 0x20) != 0;
            if ((length < 0 && !constructed) || length > (end >= 0 ? end : to) - at) {
                return MALFORMED;
            }
            int level = base + open + 1;
            if (level > limit) {
                return limit + 1;
            }
            deepest = Math.max(deepest, level);
            if (constructed) {
                ends[open++] = length < 0 ? -1 : at + length;
                continue;
            }
            if ((tag == OCTET_STRING || tag == BIT_STRING) && length > 1) {
                int inner = scan(b, tag == BIT_STRING ? at + 1 : at, at + length, level, limit);
                if (inner > limit) {
                    return inner;
                }
                deepest = Math.max(deepest, inner); // not elements (MALFORMED): plain octets
            }
            at += length;
        }
    }

    /** The one element {@code bytes} holds, of tag {@code tag}. */
    static Element single(byte[] bytes, int tag) throws MalformedException {
        List<Element> all = read(bytes);
        if (all.size() != 1 || all.get(0).tag() != tag) {
            throw new MalformedException("not a single element of tag " + tag);
        }
        return all.get(0);
    }
}
