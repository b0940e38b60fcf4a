package dev.parley.socket;

import java.util.List;

/**
 * A part of a connection's pipeline that holds bytes its client sent or will be sent (a decoder's
 * unfinished frame, a record not yet decrypted), as its conversation's driver counts them for the
 * server's memory budget: asked on the connection's event loop, after each read and each input.
 */
@FunctionalInterface
public interface HeldBytes {

    /** Nothing held: a pipeline with no such part. */
    HeldBytes NOTHING = () -> 0;

    /** The bytes held now, by what they cost (a buffer's capacity, not only its content). */
    long heldBytes();

    /** What all of {@code parts} hold. */
    static HeldBytes all(List<HeldBytes> parts) {
        if (parts.isEmpty()) {
            return NOTHING;
        }
        HeldBytes[] each = parts.toArray(new HeldBytes[0]);
        return () -> {
            long sum = 0;
            for (HeldBytes part : each) {
                sum += part.heldBytes();
            }
            return sum;
        };
    }
}
