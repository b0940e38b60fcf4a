/**
 * How messages are laid out on the wire, as pure codecs: bytes in, frames out; messages in, bytes
 * out. {@link dev.parley.core.wire.LineFraming} is Parley's own, {@link dev.parley.core.wire.RawFraming}
 * the seed tutorial's.
 */
package dev.parley.core.wire;
