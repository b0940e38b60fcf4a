/**
 * Parley's protocol core: a pure, sans-I/O conversation {@linkplain dev.parley.core.session.Session
 * session}, the operators' {@linkplain dev.parley.core.desk.Desk desk}, the wire codecs, automatic
 * responders, the ports its drivers implement, and an in-memory test kit. No dependency but the
 * JDK's base module.
 */
module dev.parley.core {
    exports dev.parley.core.session;
    exports dev.parley.core.desk;
    exports dev.parley.core.wire;
    exports dev.parley.core.responder;
    exports dev.parley.core.port;
    exports dev.parley.core.testkit;
}
