package dev.parley.app.wiring;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.core.session.Refusal;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every kind of refusal is read back from its reason's first word; anything else is OTHER. */
class RefusalKindTest {

    @Test
    void eachKindIsReadFromAReasonStartingWithItsWord() {
        for (RefusalKind kind : RefusalKind.values()) {
            if (kind != RefusalKind.OTHER) {
                assertEquals(kind, RefusalKind.of(kind.word() + ": whatever follows, from anyone"));
            }
        }
    }

    @Test
    void theCoresRefusalsAreEachOfTheirOwnKind() {
        assertEquals(RefusalKind.BUSY, RefusalKind.of(new Refusal.Busy(3).reason()));
        assertEquals(RefusalKind.TOO_MANY, RefusalKind.of(new Refusal.TooManyFromAddress(3).reason()));
        assertEquals(RefusalKind.MEMORY, RefusalKind.of(new Refusal.ShortOfMemory().reason()));
        assertEquals(RefusalKind.NOT_A_MESSAGE, RefusalKind.of(new Refusal.NotAMessage("binary").reason()));
    }

    @Test
    void aReasonOfNoKnownKindIsOther() {
        assertEquals(RefusalKind.OTHER, RefusalKind.of(""));
        assertEquals(RefusalKind.OTHER, RefusalKind.of("busy"));
        assertEquals(RefusalKind.OTHER, RefusalKind.of("Busy: upper case is not ours"));
        assertEquals(RefusalKind.OTHER, RefusalKind.of(" tls: leading space"));
    }

    @Test
    void labelsAreDistinctAndSafeForPrometheus() {
        Set<String> labels = Stream.of(RefusalKind.values()).map(RefusalKind::label).collect(Collectors.toSet());
        assertEquals(RefusalKind.values().length, labels.size());
        labels.forEach(label -> assertEquals(true, label.matches("[a-z_]+"), label));
    }
}
