package dev.parley.app.wiring;

import dev.parley.app.cli.Exits;
import dev.parley.app.cli.UserError;
import dev.parley.app.trust.SecureFiles;
import dev.parley.cluster.ClusterSettings;
import dev.parley.cluster.NatsDesk;
import dev.parley.socket.server.SerialExecutor;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** The help desk shared by replicas (--cluster): its settings, the credentials file read under the file policy, joining and leaving. */
final class ClusterSetup {

    /** The largest credentials file read: a JWT and a seed are a few kilobytes. */
    static final long MAX_CREDENTIALS_BYTES = 64 * 1024;
    /** How long a stopping server lets the desk finish what it was handed before leaving the desk. */
    static final long DESK_DRAIN_MILLIS = 2_000;

    private ClusterSetup() {}

    /** The settings of {@code cluster}; the credentials are read when joining. */
    static ClusterSettings settings(ParleyServer.Cluster cluster) {
        return new ClusterSettings(cluster.servers(), cluster.desk());
    }

    /**
     * Reads the credentials, if any, and connects {@code desk}; says so on {@code log} with the URLs' secrets masked.
     *
     * @throws UserError (exit 1) when the file is refused or no NATS server answers
     */
    static void join(NatsDesk desk, ParleyServer.Cluster cluster, Consumer<String> log) throws UserError {
        if (cluster.credentials().isPresent()) {
            try {
                desk.credentials(SecureFiles.read(cluster.credentials().get(), SecureFiles.Kind.GIVEN_SECRET, "--cluster-creds",
                        MAX_CREDENTIALS_BYTES, Exits.FAILURE));
            } catch (NoSuchFileException e) {
                throw new UserError("cannot read --cluster-creds " + SecureFiles.shown(cluster.credentials().get())
                        + ": no such file; give a NATS credentials file", Exits.FAILURE, e);
            }
        }
        try {
            desk.connect();
        } catch (IOException e) {
            throw new UserError(e.getMessage() + "; check --cluster and that nats-server runs with JetStream (-js)", Exits.FAILURE, e);
        }
        log.accept("parley: help desk shared through " + desk.where() + " as replica " + desk.replica());
    }

    /** Lets the desk finish what it was handed, then leaves the desk (this server's clients and operators with it). */
    static void leave(SerialExecutor deskTasks, NatsDesk desk) {
        try {
            deskTasks.awaitQuiet(DESK_DRAIN_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        desk.close();
    }
}
