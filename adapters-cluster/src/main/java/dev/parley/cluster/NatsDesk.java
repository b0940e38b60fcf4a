package dev.parley.cluster;

import dev.parley.core.desk.DeskInput;
import dev.parley.core.port.DeskReplication;
import dev.parley.core.session.Outcome;
import io.nats.client.AuthHandler;
import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.Dispatcher;
import io.nats.client.ErrorListener;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamOptions;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.NKey;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.PublishOptions;
import io.nats.client.PushSubscribeOptions;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The desk shared by replicas, over NATS: the log is a JetStream stream ({@code PARLEY_desk}, file
 * storage, subject {@code parley.desk.log}) that every replica reads from its start with an ordered
 * consumer; turns between replicas go over core NATS to {@code parley.desk.to.REPLICA}; each replica
 * says it is alive every second on {@code parley.desk.alive}. A replica not heard for
 * {@link #GONE_AFTER} while it has clients or operators at the desk is declared gone, through the
 * log, by whichever replica notices first (the first such entry counts).
 *
 * <p>Appends are published one at a time, in order, by one thread, each with a message id (JetStream
 * drops a duplicate), and retried until the broker takes them: an outage delays them, it loses none.
 * Their queue is bounded ({@link #MAX_QUEUED}); a replica that overflows it can no longer keep the
 * desk's promise and says so ({@code failed}); what it holds is told to the server's memory account
 * ({@link #heldBytes}). What the client library holds is bounded by small fixed limits (its reconnect
 * buffer, the dispatcher's pending limits, its outgoing queue), {@link #LIBRARY_BYTES} in all: a
 * per-process constant that the start-up check counts beside the budget.
 */
public final class NatsDesk implements DeskReplication, AutoCloseable {

    /** How often a replica says it is alive, and how long it may be silent before it is declared gone. */
    static final Duration HEARTBEAT = Duration.ofSeconds(1);
    static final Duration GONE_AFTER = Duration.ofSeconds(5);
    /**
     * How often the broker tells the log's reader it is still there: three missed and the client library
     * makes the reader again from where it was (after a broker's restart: within seconds, not its default 15).
     */
    static final Duration LOG_HEARTBEAT = Duration.ofSeconds(1);
    /** The most appends waiting for the broker. */
    static final int MAX_QUEUED = 10_000;
    /**
     * The bytes the client library may hold while the broker is away, and what the one dispatcher (every
     * subscription) may hold unread: past that NATS drops the excess (a slow consumer), as it would for
     * any subscriber that cannot keep up. Small on purpose: the bytes worth holding are charged to the
     * memory budget once the desk's tasks have them.
     */
    static final long RECONNECT_BUFFER = 512L << 10;
    static final int PENDING_MESSAGES = 1_000;
    static final long PENDING_BYTES = 2L << 20;
    /**
     * The messages the client library may queue for the socket; more are discarded (a turn lost with
     * its link, as when the broker is away). Their bytes are bounded by the conversations' turns: a
     * conversation relays at most its question and one message ahead before an answer comes back.
     */
    static final int OUTGOING_MESSAGES = 1_000;
    /** The client library's socket buffers, one each way (its default, made explicit). */
    static final int SOCKET_BUFFER = 64 << 10;
    /** What the client library may hold in all, outside the memory budget: a per-process constant. */
    public static final long LIBRARY_BYTES = RECONNECT_BUFFER + PENDING_BYTES + 2L * SOCKET_BUFFER;
    /** What an entry waiting for the broker costs besides its bytes (the array and the queue's node). */
    static final int ENTRY_OVERHEAD = 48;
    /** How long a stopping replica waits for its last appends to be taken. */
    static final Duration DRAIN = Duration.ofSeconds(3);

    private final ClusterSettings settings;
    private final String replica;
    private final String logSubject;
    private final String streamName;
    private final Consumer<String> failed;
    private final Consumer<String> log;
    private final Replay replay;
    private final BlockingQueue<byte[]> queued = new ArrayBlockingQueue<>(MAX_QUEUED);
    private final AtomicLong appended = new AtomicLong();
    /** The bytes of the entries waiting in {@link #queued}, by what they cost. */
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicLong in = new AtomicLong();
    private final AtomicLong out = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final AtomicBoolean toldGone = new AtomicBoolean();
    /** When each other replica was last heard (nanoTime), on the heartbeat thread and the dispatcher's: guarded by itself. */
    private final Map<String, Long> lastHeard = new HashMap<>();
    private final ScheduledExecutorService ticker;
    private volatile Connection connection;
    private volatile Receiver receiver;
    private volatile boolean connected;
    private Thread appender;
    private Dispatcher dispatcher;
    /** The log's reader now, and the position of the last entry it read (the dispatcher's thread, and a reconnection's). */
    private volatile JetStreamSubscription reading;
    private volatile long lastRead;
    private byte[] credentials;

    /**
     * A replica of the desk {@code settings} name; not connected yet ({@link #connect}).
     *
     * @param settings where the desk lives
     * @param failed told, once, why this replica can no longer be part of the desk (declared gone, its queue overflowed)
     * @param log told, in one line, when the broker becomes unreachable and when it is back
     */
    public NatsDesk(ClusterSettings settings, Consumer<String> failed, Consumer<String> log) {
        this.settings = settings;
        this.log = log;
        byte[] id = new byte[6];
        new SecureRandom().nextBytes(id);
        this.replica = HexFormat.of().formatHex(id);
        this.logSubject = "parley." + settings.desk() + ".log";
        this.streamName = "PARLEY_" + settings.desk();
        this.failed = failed;
        this.replay = new Replay(replica);
        this.ticker = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "parley-cluster-ticker");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Connects with a NATS credentials file's contents (a user's JWT and NKey seed, or the seed alone). Call before {@link #connect}.
     *
     * @param bytes the file's contents
     */
    public void credentials(byte[] bytes) {
        this.credentials = bytes.clone();
    }

    /**
     * Connects to the first NATS server that answers and makes the desk's stream if it is not there.
     *
     * @throws IOException when no server answers, or the desk's stream cannot be made (the message names the masked URLs)
     */
    public void connect() throws IOException {
        Options.Builder options = new Options.Builder().servers(settings.servers().toArray(String[]::new)).noRandomize()
                .connectionName("parley replica " + replica).maxReconnects(-1).reconnectWait(Duration.ofMillis(500))
                .connectionTimeout(Duration.ofSeconds(5)).reconnectBufferSize(RECONNECT_BUFFER).bufferSize(SOCKET_BUFFER)
                .maxMessagesInOutgoingQueue(OUTGOING_MESSAGES).discardMessagesWhenOutgoingQueueFull()
                .errorListener(new ErrorListener() {
                    @Override
                    public void messageDiscarded(Connection conn, Message message) {
                        discarded(message);
                    }
                }).connectionListener(this::connectionEvent);
        try {
            if (credentials != null) {
                options.authHandler(authHandler(credentials));
            }
            connection = Nats.connect(options.build());
            connected = true;
            JetStreamManagement streams = connection.jetStreamManagement();
            try {
                streams.getStreamInfo(streamName);
            } catch (JetStreamApiException absent) {
                streams.addStream(StreamConfiguration.builder().name(streamName).subjects(logSubject).storageType(StorageType.File).build());
            }
        } catch (IOException | JetStreamApiException | RuntimeException e) {
            close(Duration.ZERO);
            throw new IOException("cannot join the help desk at " + where() + ": " + reason(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close(Duration.ZERO);
            throw new IOException("interrupted while joining the help desk at " + where(), e);
        }
    }

    /** A user's JWT and seed (a credentials file, read by NATS's own parser), or a seed alone (an NKey user). */
    static AuthHandler authHandler(byte[] credentials) throws IOException {
        String text = new String(credentials, StandardCharsets.US_ASCII);
        if (text.contains("-----BEGIN NATS USER JWT-----")) {
            return Nats.staticCredentials(credentials);
        }
        Matcher seed = Pattern.compile("\\bSU[A-Z2-7]{50,100}\\b").matcher(text);
        if (!seed.find()) {
            throw new IOException("the credentials hold neither a NATS user's JWT nor a user's NKey seed (SU...)");
        }
        NKey user = NKey.fromSeed(seed.group().toCharArray());
        return new AuthHandler() {
            @Override
            public byte[] sign(byte[] nonce) {
                try {
                    return user.sign(nonce);
                } catch (GeneralSecurityException | IOException e) {
                    throw new IllegalStateException("cannot sign with the NKey seed", e);
                }
            }

            @Override
            public char[] getID() {
                try {
                    return user.getPublicKey();
                } catch (GeneralSecurityException | IOException e) {
                    throw new IllegalStateException("cannot read the NKey seed", e);
                }
            }

            @Override
            public char[] getJWT() {
                return null;
            }
        };
    }

    /** The servers, as a log line may show them. */
    public String where() {
        return String.join(",", settings.servers().stream().map(ClusterSettings::masked).toList()) + " (desk " + settings.desk() + ")";
    }

    private static String reason(Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.replaceAll("[a-z]+://[^/@\\s]*@", "***@"); // no secret of a URL's in the message
    }

    @Override
    public String replica() {
        return replica;
    }

    @Override
    public void start(Receiver to) {
        this.receiver = to;
        Connection nats = connection;
        Dispatcher dispatcher = nats.createDispatcher();
        dispatcher.setPendingLimits(PENDING_MESSAGES, PENDING_BYTES);
        dispatcher.subscribe(turnsTo(replica), this::relayed);
        dispatcher.subscribe("parley." + settings.desk() + ".alive", this::alive);
        this.dispatcher = dispatcher;
        try {
            readLog();
        } catch (IOException | JetStreamApiException e) {
            failed.accept("cannot read the help desk's log at " + where() + ": " + reason(e));
            return;
        }
        appender = new Thread(this::appendLoop, "parley-cluster-appender");
        appender.setDaemon(true);
        appender.start();
        ticker.scheduleAtFixedRate(this::tick, 0, HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Reads the log from the entry after the last one read (from its start, the first time): an
     * ordered consumer, made again after each reconnection rather than left to the client library's
     * own recovery, which waits for missed heartbeats.
     */
    private void readLog() throws IOException, JetStreamApiException {
        JetStreamSubscription old = reading;
        if (old != null) {
            try {
                dispatcher.unsubscribe(old);
            } catch (RuntimeException gone) {
                // its consumer went with the broker
            }
        }
        ConsumerConfiguration.Builder from = ConsumerConfiguration.builder().idleHeartbeat(LOG_HEARTBEAT);
        long next = lastRead + 1;
        if (next > 1) {
            from.deliverPolicy(DeliverPolicy.ByStartSequence).startSequence(next);
        }
        reading = connection.jetStream(JetStreamOptions.builder().requestTimeout(Duration.ofSeconds(2)).build()).subscribe(logSubject,
                dispatcher, this::logged, true, PushSubscribeOptions.builder().stream(streamName).ordered(true).configuration(from.build()).build());
    }

    /** After a reconnection: the log read again from where it was, once the broker's JetStream is back (a few tries). */
    private void readLogAgain() {
        for (int attempt = 1; !closing.get(); attempt++) {
            try {
                readLog();
                return;
            } catch (IOException | JetStreamApiException | RuntimeException e) {
                if (attempt == 20) {
                    failOnce("cannot read the help desk's log at " + where() + " again: " + reason(e));
                    return;
                }
            }
            try {
                Thread.sleep(500); // JetStream restores its streams after the broker accepts connections
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void append(DeskInput input) {
        queue(Entry.input(replica, input));
    }

    @Override
    public void left(String client, Outcome outcome) {
        queue(Entry.left(replica, client, outcome));
    }

    @Override
    public void relay(Turn turn) {
        Connection nats = connection;
        String to = Turn.replicaOf(turn.to());
        if (nats == null || to.isEmpty()) {
            lost(turn);
            return;
        }
        try {
            nats.publish(turnsTo(to), ClusterWire.turn(replica, turn));
            out.incrementAndGet();
        } catch (IllegalStateException full) {
            lost(turn); // the reconnect buffer is full, or the connection closed
        }
    }

    private void lost(Turn turn) {
        Receiver to = receiver;
        if (to != null) {
            to.lost(turn);
        }
    }

    /** The subject of the turns for {@code replica}. */
    private String turnsTo(String replica) {
        return "parley." + settings.desk() + ".to." + replica;
    }

    /**
     * A message the client library discarded (its outgoing queue full): a turn of this replica's is given
     * back to the desk as lost, so that its conversation does not wait for it; a heartbeat or an append is
     * not a turn (an append is published with an acknowledgement, and a missing one is seen).
     */
    private void discarded(Message message) {
        lostTurn(message).ifPresent(this::lost);
    }

    /** The turn of this replica's that {@code message} carried, if it carried one. */
    Optional<Turn> lostTurn(Message message) {
        if (!message.getSubject().startsWith(turnsTo(""))) {
            return Optional.empty();
        }
        try {
            ClusterWire.Relayed relayed = ClusterWire.turn(message.getData());
            return relayed.origin().equals(replica) ? Optional.of(relayed.turn()) : Optional.empty();
        } catch (ClusterWire.Malformed e) {
            return Optional.empty(); // not one this replica wrote: nothing of its own was lost
        }
    }

    /** The bytes of the desk's changes waiting for the broker, for the server's memory account. */
    @Override
    public long heldBytes() {
        return queuedBytes.get();
    }

    /** Messages received from the cluster (the log's entries, turns, heartbeats). */
    public long messagesIn() {
        return in.get();
    }

    /** Messages sent to the cluster. */
    public long messagesOut() {
        return out.get();
    }

    // ---- the log ----

    private void queue(Entry entry) {
        if (closing.get() && entry.gone() == null) {
            return;
        }
        byte[] bytes = ClusterWire.entry(entry);
        if (queued.offer(bytes)) {
            queuedBytes.addAndGet(bytes.length + ENTRY_OVERHEAD);
        } else {
            failOnce("more than " + MAX_QUEUED + " of the desk's changes wait for the broker at " + where());
        }
    }

    /** Publishes the queued entries in order, each until the broker has taken it. */
    private void appendLoop() {
        JetStream js;
        try {
            js = connection.jetStream(JetStreamOptions.builder().requestTimeout(Duration.ofSeconds(2)).build());
        } catch (IOException e) {
            failOnce("cannot write the help desk's log at " + where() + ": " + reason(e));
            return;
        }
        while (true) {
            byte[] entry;
            try {
                entry = queued.take();
            } catch (InterruptedException e) {
                return;
            }
            PublishOptions id = PublishOptions.builder().expectedStream(streamName).messageId(replica + "-" + appended.incrementAndGet()).build();
            while (true) {
                try {
                    js.publish(logSubject, entry, id);
                    out.incrementAndGet();
                    queuedBytes.addAndGet(-(entry.length + ENTRY_OVERHEAD)); // held until the broker has it
                    break;
                } catch (IOException | JetStreamApiException | RuntimeException e) {
                    if (connection.getStatus() == Connection.Status.CLOSED) {
                        return;
                    }
                    try {
                        Thread.sleep(200); // the broker is away: the entry waits for it, in order
                    } catch (InterruptedException stop) {
                        return;
                    }
                }
            }
        }
    }

    private void logged(Message message) {
        in.incrementAndGet();
        if (message.metaData().streamSequence() <= lastRead) {
            return;
        }
        Entry entry;
        try {
            entry = ClusterWire.entry(message.getData());
        } catch (ClusterWire.Malformed e) {
            malformed.incrementAndGet();
            return;
        }
        long position = message.metaData().streamSequence();
        if (position <= lastRead) {
            return; // read already (a reader made again overlaps the one before)
        }
        lastRead = position;
        List<Replay.Applied> applied;
        boolean gone;
        synchronized (replay) {
            applied = replay.take(entry);
            gone = replay.selfGone();
        }
        Receiver to = receiver;
        for (Replay.Applied step : applied) {
            to.apply(position, step.input(), step.outcome());
        }
        if (gone) {
            failOnce("the other servers of the help desk at " + where() + " declared this one gone (unreachable for over "
                    + GONE_AFTER.toSeconds() + " s)");
        }
    }

    // ---- turns and heartbeats ----

    private void relayed(Message message) {
        in.incrementAndGet();
        ClusterWire.Relayed relayed;
        try {
            relayed = ClusterWire.turn(message.getData());
        } catch (ClusterWire.Malformed e) {
            malformed.incrementAndGet();
            return;
        }
        Turn turn = relayed.turn();
        String from = turn.to().equals(turn.client()) ? turn.operator() : turn.client();
        if (!Turn.replicaOf(from).equals(relayed.origin()) || !Turn.replicaOf(turn.to()).equals(replica)) {
            malformed.incrementAndGet(); // a replica speaks only for its own clients and operators, to the one it names
            return;
        }
        receiver.relayed(turn);
    }

    private void alive(Message message) {
        in.incrementAndGet();
        String from = new String(message.getData(), StandardCharsets.UTF_8);
        if (!from.equals(replica) && from.length() <= 32) {
            synchronized (lastHeard) {
                lastHeard.put(from, System.nanoTime());
            }
        }
    }

    /** Every second: say this replica is alive; declare gone the others silent too long (only while this one hears the broker). */
    private void tick() {
        Connection nats = connection;
        if (nats == null || !connected || closing.get()) {
            return;
        }
        nats.publish("parley." + settings.desk() + ".alive", replica.getBytes(StandardCharsets.UTF_8));
        out.incrementAndGet();
        java.util.Set<String> present;
        synchronized (replay) {
            present = replay.others();
        }
        long now = System.nanoTime();
        synchronized (lastHeard) {
            for (String other : present) {
                Long heard = lastHeard.putIfAbsent(other, now);
                if (heard != null && now - heard > GONE_AFTER.toNanos()) {
                    lastHeard.put(other, now); // asked once per silence: the log keeps the first
                    queue(Entry.gone(replica, other));
                }
            }
        }
    }

    private void connectionEvent(Connection nats, ConnectionListener.Events event) {
        if (event == ConnectionListener.Events.DISCONNECTED) {
            connected = false;
            Receiver to = receiver;
            if (to != null && !closing.get()) {
                log.accept("parley: the help desk's broker at " + where() + " is unreachable: conversations with another server's "
                        + "operators or clients end, new clients are refused until it is back");
                to.reachable(false);
            }
        } else if (event == ConnectionListener.Events.RECONNECTED) {
            long now = System.nanoTime();
            synchronized (lastHeard) {
                lastHeard.replaceAll((replica, heard) -> now); // everyone was away with the broker: a new grace
            }
            connected = true;
            Receiver to = receiver;
            if (to != null) {
                ticker.execute(this::readLogAgain);
                to.reachable(true);
                log.accept("parley: the help desk's broker at " + where() + " is reachable again");
            }
        }
    }

    private void failOnce(String why) {
        if (toldGone.compareAndSet(false, true)) {
            failed.accept(why);
        }
    }

    /** Leaves the desk: its clients and operators leave with it (one entry), then the connection closes. */
    @Override
    public void close() {
        close(DRAIN);
    }

    private void close(Duration drain) {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        ticker.shutdownNow();
        Connection nats = connection;
        if (nats != null && appender != null && !toldGone.get()) {
            queued.offer(ClusterWire.entry(Entry.gone(replica, replica)));
            long deadline = System.nanoTime() + drain.toNanos();
            while (!queued.isEmpty() && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(20); // a stopping replica's last entries on their way; bounded by DRAIN
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        if (appender != null) {
            appender.interrupt();
        }
        if (nats != null) {
            try {
                nats.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
