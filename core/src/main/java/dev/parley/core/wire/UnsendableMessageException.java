package dev.parley.core.wire;

import dev.parley.core.ProtocolException;

/** A message the framing cannot carry (a line break in line framing, nothing at all in raw). */
public final class UnsendableMessageException extends ProtocolException {
    private static final long serialVersionUID = 1L;

    public UnsendableMessageException(String message) {
        super(message);
    }
}
