package dev.parley.cluster;

import dev.parley.core.desk.DeskInput;
import dev.parley.core.port.DeskReplication.Turn;
import dev.parley.core.port.DeskReplication.TurnKind;
import dev.parley.core.session.Outcome;
import dev.parley.core.session.Role;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The bytes of the log's entries and of the relayed turns: a version byte, then the fields in
 * order, each string as its UTF-8 length and bytes. What comes from the broker is read as hostile:
 * a malformed message is a {@link Malformed}, never a crash, and no string is longer than the
 * message that carried it.
 */
final class ClusterWire {

    /** Bumped when the layout changes: a replica ignores what it cannot read. */
    static final int VERSION = 1;
    private static final int INPUT = 0;
    private static final int LEFT = 1;
    private static final int GONE = 2;

    /** A message this replica cannot read. */
    static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;

        Malformed(String what) {
            super(what);
        }
    }

    private ClusterWire() {}

    static byte[] entry(Entry entry) {
        return write(out -> {
            out.writeUTF(entry.origin());
            if (entry.gone() != null) {
                out.writeByte(GONE);
                string(out, entry.gone());
            } else if (entry.outcome() != null) {
                out.writeByte(LEFT);
                string(out, ((DeskInput.ClientLeft) entry.input()).client());
                out.writeByte(entry.outcome().ending().ordinal());
                out.writeByte(entry.outcome().peer().ordinal());
                string(out, entry.outcome().detail());
            } else {
                out.writeByte(INPUT);
                DeskInput input = entry.input();
                out.writeByte(input.kind().ordinal());
                string(out, input.subject());
                if (input instanceof DeskInput.ClientArrived arrived) {
                    string(out, arrived.label());
                } else if (input instanceof DeskInput.OperatorJoined joined) {
                    string(out, joined.name());
                }
            }
        });
    }

    static Entry entry(byte[] bytes) throws Malformed {
        try (DataInputStream in = reader(bytes)) {
            String origin = in.readUTF();
            int type = in.readUnsignedByte();
            Entry entry = switch (type) {
                case GONE -> Entry.gone(origin, string(in, bytes));
                case LEFT -> Entry.left(origin, string(in, bytes),
                        new Outcome(of(Outcome.Ending.values(), in.readUnsignedByte()), of(Role.values(), in.readUnsignedByte()), string(in, bytes)));
                case INPUT -> Entry.input(origin, input(of(DeskInput.Kind.values(), in.readUnsignedByte()), in, bytes));
                default -> throw new Malformed("an entry of unknown type " + type);
            };
            end(in);
            return entry;
        } catch (IOException | RuntimeException e) {
            throw new Malformed("a malformed entry: " + e.getClass().getSimpleName());
        }
    }

    private static DeskInput input(DeskInput.Kind kind, DataInputStream in, byte[] bytes) throws IOException, Malformed {
        String id = string(in, bytes);
        return switch (kind) {
            case CLIENT_ARRIVED -> new DeskInput.ClientArrived(id, string(in, bytes));
            case CLIENT_LEFT -> new DeskInput.ClientLeft(id);
            case OPERATOR_JOINED -> new DeskInput.OperatorJoined(id, string(in, bytes));
            case OPERATOR_LEFT -> new DeskInput.OperatorLeft(id);
            case PASS -> new DeskInput.Pass(id);
            case AWAY -> new DeskInput.Away(id);
            case BACK -> new DeskInput.Back(id);
            case WHO -> new DeskInput.Who(id);
        };
    }

    static byte[] turn(String origin, Turn turn) {
        return write(out -> {
            out.writeUTF(origin);
            out.writeLong(turn.position());
            out.writeByte(turn.kind().ordinal());
            string(out, turn.operator());
            string(out, turn.client());
            string(out, turn.text());
            out.writeBoolean(turn.prompted());
        });
    }

    /** A relayed turn and the replica that sent it. */
    record Relayed(String origin, Turn turn) {}

    static Relayed turn(byte[] bytes) throws Malformed {
        try (DataInputStream in = reader(bytes)) {
            String origin = in.readUTF();
            long position = in.readLong();
            TurnKind kind = of(TurnKind.values(), in.readUnsignedByte());
            Turn turn = new Turn(position, kind, string(in, bytes), string(in, bytes), string(in, bytes), in.readBoolean());
            end(in);
            return new Relayed(origin, turn);
        } catch (IOException | RuntimeException e) {
            throw new Malformed("a malformed turn: " + e.getClass().getSimpleName());
        }
    }

    // ---- the fields ----

    @FunctionalInterface
    private interface Writing {
        void to(DataOutputStream out) throws IOException;
    }

    private static byte[] write(Writing writing) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            writing.to(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        return bytes.toByteArray();
    }

    private static DataInputStream reader(byte[] bytes) throws IOException, Malformed {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
        int version = in.readUnsignedByte();
        if (version != VERSION) {
            throw new Malformed("version " + version + ", not " + VERSION);
        }
        return in;
    }

    private static void string(DataOutputStream out, String text) throws IOException {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }

    private static String string(DataInputStream in, byte[] message) throws IOException, Malformed {
        int length = in.readInt();
        if (length < 0 || length > message.length) {
            throw new Malformed("a string of " + length + " bytes");
        }
        byte[] utf8 = in.readNBytes(length);
        if (utf8.length != length) {
            throw new Malformed("a string cut short");
        }
        return new String(utf8, StandardCharsets.UTF_8);
    }

    private static <T> T of(T[] values, int ordinal) throws Malformed {
        if (ordinal >= values.length) {
            throw new Malformed("no value " + ordinal);
        }
        return values[ordinal];
    }

    private static void end(DataInputStream in) throws IOException, Malformed {
        if (in.read() != -1) {
            throw new Malformed("bytes after the end");
        }
    }
}
