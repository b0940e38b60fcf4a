package dev.parley.socket.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The desk's executor: one task at a time, in order, on the thread that hands it over; never one inside another. */
@Timeout(10)
class SerialExecutorTest {

    private final List<Throwable> thrown = new ArrayList<>();
    private final SerialExecutor executor = new SerialExecutor(thrown::add);
    private final List<String> ran = new ArrayList<>();

    @Test
    void aTaskHandedOverWhileNoneRunsRunsAtOnceOnTheCallersThread() {
        Thread caller = Thread.currentThread();
        Thread[] ranOn = new Thread[1];
        executor.execute(() -> ranOn[0] = Thread.currentThread());
        assertSame(caller, ranOn[0]);
    }

    @Test
    void aTaskHandedOverByATaskRunsAfterItNotInsideIt() {
        executor.execute(() -> {
            ran.add("first begins");
            executor.execute(() -> ran.add("second"));
            ran.add("first ends");
        });
        assertEquals(List.of("first begins", "first ends", "second"), ran);
    }

    @Test
    void aTaskHandedOverFromAnotherThreadWhileOneRunsIsRunByTheRunningThreadAndTheCallerGoesOn() throws Exception {
        CountDownLatch firstRuns = new CountDownLatch(1);
        CountDownLatch handedOver = new CountDownLatch(1);
        Thread runner = Thread.currentThread();
        Thread[] secondRanOn = new Thread[1];
        Thread other = new Thread(() -> {
            await(firstRuns);
            executor.execute(() -> secondRanOn[0] = Thread.currentThread()); // returns at once: the first is running
            handedOver.countDown();
        });
        other.start();
        executor.execute(() -> {
            firstRuns.countDown();
            await(handedOver); // the other thread's execute returned while this task still runs
            assertEquals(null, secondRanOn[0], "not run inside this one, nor on the other thread meanwhile");
        });
        other.join();
        assertSame(runner, secondRanOn[0]);
        assertTrue(executor.awaitQuiet(0, TimeUnit.SECONDS));
    }

    @Test
    void whatATaskThrowsGoesToTheHandlerAndTheNextTaskStillRuns() {
        Error bug = new AssertionError("a bug");
        executor.execute(() -> {
            executor.execute(() -> ran.add("queued behind the throw"));
            ran.add("throws");
            throw bug;
        });
        assertEquals(List.of("throws", "queued behind the throw"), ran);
        assertEquals(List.of(bug), thrown);
        thrown.clear();
        executor.execute(() -> ran.add("next"));
        assertEquals(List.of("throws", "queued behind the throw", "next"), ran);
    }

    @Test
    void afterShutdownNewTasksAreRefusedAndThoseHandedOverBeforeStillRun() {
        executor.execute(() -> {
            executor.execute(() -> ran.add("handed over before"));
            executor.shutdown();
            assertThrows(RejectedExecutionException.class, () -> executor.execute(() -> ran.add("after")));
        });
        assertEquals(List.of("handed over before"), ran);
    }

    @Test
    void awaitQuietWaitsForTheRunningTaskAndTimesOutWhileItRuns() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread runner = new Thread(() -> executor.execute(() -> {
            running.countDown();
            await(release);
        }));
        runner.start();
        running.await();
        assertFalse(executor.awaitQuiet(10, TimeUnit.MILLISECONDS));
        release.countDown();
        assertTrue(executor.awaitQuiet(5, TimeUnit.SECONDS));
        runner.join();
    }

    @AfterEach
    void nothingWasThrownButWhatATestThrew() {
        assertEquals(List.of(), thrown);
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(5, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
