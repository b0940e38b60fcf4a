package dev.parley.app.wiring;

import dev.parley.app.cli.Exits;
import dev.parley.app.cli.UserError;
import dev.parley.app.trust.AuthorizedClients;
import dev.parley.app.trust.ConfigDirectory;
import dev.parley.app.trust.Identities;
import dev.parley.app.trust.KnownServersFile;
import dev.parley.socket.Addresses;
import dev.parley.socket.tls.ClientTls;
import dev.parley.socket.tls.Identity;
import dev.parley.socket.tls.ServerTls;
import dev.parley.socket.tls.TlsProvider;
import dev.parley.socket.tls.ServerTrust;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/** Builds each side's TLS from the command line and the configuration directory. */
public final class TlsSetup {

    private TlsSetup() {}

    /**
     * A server's TLS and, with --authorized-clients, who may converse; with --operators, the
     * operators' port's TLS (the same identity; operators admitted by --authorized-operators).
     */
    record Server(ServerTls tls, Optional<AuthorizedClients> clients, Optional<ServerTls> operatorsTls,
            Optional<AuthorizedClients> operators) {}

    /** The TLS provider {@value TlsProvider#VARIABLE} in {@code env} asks for (BoringSSL where it loads, by default). */
    public static TlsProvider.Choice provider(Map<String, String> env) throws UserError {
        try {
            return TlsProvider.choose(env.get(TlsProvider.VARIABLE));
        } catch (TlsProvider.UnknownException e) {
            throw new UserError(e.getMessage(), e.usage() ? Exits.USAGE : Exits.FAILURE, e);
        }
    }

    static Server server(ParleyServer.Tls options, Consumer<String> err, Consumer<String> log) throws UserError {
        Identity identity = options.cert().isPresent()
                ? Identities.given(options.cert().get(), options.key().orElseThrow())
                : Identities.own(ConfigDirectory.from(System.getenv()), Identities.SERVER, "server", err).identity();
        Optional<AuthorizedClients> clients = options.authorizedClients().isPresent()
                ? Optional.of(AuthorizedClients.load(options.authorizedClients().get(), log)) : Optional.empty();
        Optional<AuthorizedClients> operators = options.authorizedOperators().isPresent()
                ? Optional.of(AuthorizedClients.load(options.authorizedOperators().get(), "--authorized-operators", "operator", log))
                : Optional.empty();
        try {
            TlsProvider provider = options.provider().provider();
            return new Server(ServerTls.create(identity, clients.map(c -> (ServerTls.ClientCheck) c), options.handshakeTimeout(), provider),
                    clients, operators.map(o -> ServerTls.create(identity, Optional.of(o), options.handshakeTimeout(), provider)), operators);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage(), Exits.USAGE, e);
        }
    }

    /**
     * A client's TLS for {@code host:port}: pinned, or trusting the authorities and known_servers
     * (read now, so a bad file fails before connecting); its identity made only if a server asks.
     */
    public static ClientTls client(String host, int port, ParleyClient.Tls options, Consumer<String> err) throws UserError {
        return client(host, port, options, options.pin(), err, TlsProvider.JDK);
    }

    /**
     * The TLS of {@code parley bench}: as {@link #client}, on the provider {@value TlsProvider#VARIABLE}
     * chooses (BoringSSL where it loads), as a server's. The person's client stays on the JDK's:
     * for its one handshake, BoringSSL's start-up costs more than it saves (docs/BENCHMARKS.md, TLS).
     */
    public static ClientTls benchClient(String host, int port, ParleyClient.Tls options, Consumer<String> err) throws UserError {
        return client(host, port, options, options.pin(), err, provider(System.getenv()).provider());
    }

    static ClientTls client(String host, int port, ParleyClient.Tls options, Optional<String> pin, Consumer<String> err)
            throws UserError {
        return client(host, port, options, pin, err, TlsProvider.JDK);
    }

    private static ClientTls client(String host, int port, ParleyClient.Tls options, Optional<String> pin, Consumer<String> err,
            TlsProvider provider) throws UserError {
        ConfigDirectory config = ConfigDirectory.from(System.getenv());
        ServerTrust.KnownServers known = pin.isPresent() ? hostPort -> List.of() : KnownServersFile.read(config.secure());
        ServerTrust trust = new ServerTrust(Addresses.format(host, port), pin, ServerTrust.systemAuthorities(), known,
                options.trustNew());
        return new ClientTls(trust, () -> {
            try {
                return Identities.own(config, Identities.CLIENT, "client", err).identity();
            } catch (UserError e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }, provider);
    }
}
