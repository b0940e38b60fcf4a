package dev.parley.app.wiring;

import java.util.EnumMap;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The log's lines for refused connections, summarised: the first refusal of each second is written
 * in full, the others counted and written as one line when the second is over ("refused 19,998
 * more in the last second: busy 19,998"). A flood of connections cannot flood the log.
 */
final class Refusals {

    private final Consumer<String> log;
    private ScheduledExecutorService timer;
    private long windowStart;
    private int counted;
    private final EnumMap<RefusalKind, Integer> kinds = new EnumMap<>(RefusalKind.class);

    Refusals(Consumer<String> log) {
        this.log = log;
    }

    synchronized void refused(String remote, String reason) {
        long now = System.nanoTime();
        if (timer == null || now - windowStart >= TimeUnit.SECONDS.toNanos(1)) {
            flush();
            windowStart = now;
            log.accept("refused " + remote + ": " + reason);
            if (timer == null) {
                timer = Executors.newSingleThreadScheduledExecutor(task -> {
                    Thread thread = new Thread(task, "parley-log");
                    thread.setDaemon(true);
                    return thread;
                });
                timer.scheduleAtFixedRate(this::flush, 1, 1, TimeUnit.SECONDS);
            }
            return;
        }
        counted++;
        kinds.merge(RefusalKind.of(reason), 1, Integer::sum);
    }

    /** Writes the count of the refusals not written one by one, if there were any. */
    synchronized void flush() {
        if (counted == 0) {
            return;
        }
        StringBuilder line = new StringBuilder("refused ").append(String.format(Locale.ROOT, "%,d", counted))
                .append(" more in the last second:");
        kinds.forEach((kind, n) -> line.append(' ').append(kind.word()).append(' ').append(String.format(Locale.ROOT, "%,d", n)).append(','));
        line.setLength(line.length() - 1);
        log.accept(line.toString());
        counted = 0;
        kinds.clear();
    }

    synchronized void close() {
        flush();
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
