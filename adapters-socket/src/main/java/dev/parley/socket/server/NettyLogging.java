package dev.parley.socket.server;

import dev.parley.socket.ProcessErrors;
import io.netty.util.internal.logging.InternalLoggerFactory;
import io.netty.util.internal.logging.JdkLoggerFactory;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Netty's own log, as Parley's: through the JDK's logging (whatever else is on the class path), one
 * line per warning on stderr, with no stack trace unless {@code parley.verbose} is set; and an
 * {@link Error} that Netty caught and logged instead of letting it end its thread (out of memory in
 * a task) goes to the thread's uncaught-exception handler, which stops the process, when
 * {@link ProcessErrors} says it must; any other is a warning like the rest.
 */
final class NettyLogging {

    private NettyLogging() {}

    static void install() {
        InternalLoggerFactory.setDefaultFactory(JdkLoggerFactory.INSTANCE);
        Logger netty = Logger.getLogger("io.netty");
        netty.setUseParentHandlers(false);
        netty.setLevel(Level.WARNING);
        for (Handler old : netty.getHandlers()) {
            netty.removeHandler(old);
        }
        netty.addHandler(new OneLine());
    }

    /** Writes each record as one {@code parley: warning: ...} line; hands errors on. */
    private static final class OneLine extends Handler {
        @Override
        public void publish(LogRecord record) {
            Throwable thrown = record.getThrown();
            if (thrown != null && ProcessErrors.endProcess(thrown)) {
                ProcessErrors.escalate(thrown);
                return;
            }
            System.err.println("parley: warning: " + record.getMessage() + (thrown == null ? "" : " (" + thrown + ")"));
            if (thrown != null && Boolean.getBoolean("parley.verbose")) {
                thrown.printStackTrace();
            }
        }

        @Override
        public void flush() {
            System.err.flush();
        }

        @Override
        public void close() {
            flush();
        }
    }
}
