package dev.parley.console;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.core.Operator;
import dev.parley.core.contract.OperatorContract;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The Operator contract over stdin-like byte streams, plus the console's own behaviour. */
class ConsoleOperatorTest extends OperatorContract {

    private final ByteArrayOutputStream status = new ByteArrayOutputStream();

    @Override
    protected Operator operatorSaying(List<String> lines) {
        String input = lines.isEmpty() ? "" : String.join("\n", lines) + "\n";
        return operatorReading(input.getBytes(StandardCharsets.UTF_8), false);
    }

    private ConsoleOperator operatorReading(byte[] input, boolean interactive) {
        return new ConsoleOperator(new ByteArrayInputStream(input),
                new PrintStream(status, true, StandardCharsets.UTF_8), interactive, 16);
    }

    @Test
    void readsUtf8WhateverTheLocaleAndAcceptsCrlfAndAnUnterminatedLastLine() {
        ConsoleOperator operator = operatorReading("h\u00e9\r\nlast".getBytes(StandardCharsets.UTF_8), false);
        assertEquals(Optional.of("h\u00e9"), operator.nextMessage(Optional.empty()));
        assertEquals(Optional.of("last"), operator.nextMessage(Optional.empty()));
        assertEquals(Optional.empty(), operator.nextMessage(Optional.empty()));
    }

    @Test
    void promptsOnlyWhenInteractive() {
        operatorReading("a\n".getBytes(StandardCharsets.UTF_8), false).nextMessage(Optional.empty());
        assertEquals("", status.toString(StandardCharsets.UTF_8));
        operatorReading("a\n".getBytes(StandardCharsets.UTF_8), true).nextMessage(Optional.empty());
        assertEquals("you> ", status.toString(StandardCharsets.UTF_8));
    }

    @Test
    void anOverlongInputLineIsRefusedWithANoticeAndReadingGoesOn() {
        ConsoleOperator operator = operatorReading("x".repeat(17).concat("\nshort\n").getBytes(StandardCharsets.UTF_8), false);
        assertEquals(Optional.of("short"), operator.nextMessage(Optional.empty()));
        assertEquals("parley: input line longer than 16 bytes; not sent, type a shorter one\n",
                status.toString(StandardCharsets.UTF_8));
    }
}
