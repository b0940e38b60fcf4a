package dev.parley.socket.server;

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
}
