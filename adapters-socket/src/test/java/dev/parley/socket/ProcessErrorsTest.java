package dev.parley.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.handler.codec.DecoderException;
import java.io.IOError;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rule, as a table: which throwables end the process, which only their connection. */
class ProcessErrorsTest {

    private record Row(Throwable thrown, boolean endProcess, boolean connectionError) {}

    private static Throwable wrapped(Throwable cause) {
        return new DecoderException(new javax.net.ssl.SSLException("handshake failed", cause));
    }

    @Test
    void everyKindOfThrowableHasItsOneAnswer() {
        List<Row> table = List.of(
                new Row(new OutOfMemoryError("Java heap space"), true, true),
                new Row(new OutOfMemoryError("Cannot reserve 65536 bytes of direct buffer memory"), true, true),
                new Row(new InternalError("the JVM is broken"), true, true),
                new Row(new UnknownError(), true, true),
                new Row(new NoClassDefFoundError("dev/parley/Missing"), true, true),
                new Row(new ExceptionInInitializerError("a class could not start"), true, true),
                new Row(wrapped(new OutOfMemoryError()), true, true),
                new Row(new StackOverflowError(), false, true),
                new Row(wrapped(new StackOverflowError()), false, true),
                new Row(new AssertionError("a library's invariant"), false, true),
                new Row(new IOError(null), false, true),
                new Row(new IllegalStateException("a bug"), false, false),
                new Row(wrapped(new IllegalStateException()), false, false));
        for (Row row : table) {
            assertEquals(row.endProcess(), ProcessErrors.endProcess(row.thrown()), "endProcess " + row.thrown());
            assertEquals(row.connectionError(), ProcessErrors.connectionError(row.thrown()), "connectionError " + row.thrown());
        }
    }

    @Test
    void aCycleOfCausesIsNotFollowedForEver() {
        Exception first = new Exception("first");
        Exception second = new Exception("second", first);
        first.initCause(second);
        assertEquals(false, ProcessErrors.endProcess(first));
        assertEquals(false, ProcessErrors.connectionError(first));
    }

    @Test
    void theReasonNamesWhatWasWrong() {
        assertEquals("its input is nested too deeply to be parsed (java.lang.StackOverflowError)",
                ProcessErrors.describe("its input", wrapped(new StackOverflowError())));
        assertEquals("what the server sent could not be processed (java.lang.AssertionError: bad)",
                ProcessErrors.describe("what the server sent", new AssertionError("bad")));
    }
}
