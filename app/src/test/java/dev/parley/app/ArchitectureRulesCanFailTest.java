package dev.parley.app;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each architecture rule catches a deliberately bad fixture: a rule that cannot fail proves nothing. */
class ArchitectureRulesCanFailTest {

    private static final String FIXTURE = "dev.parley.archfixture";
    private static final JavaClasses BAD = new ClassFileImporter().importPackages(FIXTURE);

    static Stream<Arguments> rules() {
        return Stream.of(
                rule("core does no network I/O", ArchitectureRules::coreDoesNoNetworkIo, "NetworkingCore"),
                rule("core never touches standard streams", ArchitectureRules::coreNeverTouchesStandardStreams, "PrintingCore"),
                rule("core never starts threads or sleeps", ArchitectureRules::coreNeverStartsThreadsOrSleeps, "ThreadingCore"),
                rule("core never reads a clock", ArchitectureRules::coreNeverReadsAClock, "ClockReadingCore"),
                rule("core reads no streams or files", ArchitectureRules::coreReadsNoStreamsOrFiles, "StreamingCore"),
                rule("core uses no concurrency library", ArchitectureRules::coreUsesNoConcurrencyLibrary, "ConcurrentCore"),
                rule("core holds no lock: a synchronized block", ArchitectureRules::coreHoldsNoLock, "SynchronizedCore.add has a synchronized block"),
                rule("core holds no lock: a synchronized method", ArchitectureRules::coreHoldsNoLock, "SynchronizedMethodCore.add() is synchronized"),
                rule("core holds no lock: wait and notify", ArchitectureRules::coreHoldsNoLock, "WaitingCore"),
                rule("core never sees Netty", ArchitectureRules::coreNeverSeesNetty, "NettyCore"),
                rule("core's packages have no cycles", ArchitectureRules::corePackagesHaveNoCycles, "CyclicA"),
                rule("socket adapter never imports other adapters", ArchitectureRules::adaptersNeverImportEachOther, "SocketThingUsingConsole"),
                rule("console adapter never imports other adapters", ArchitectureRules::consoleNeverImportsOtherAdapters, "ConsoleThingUsingSocket"),
                rule("web adapter never imports other adapters", ArchitectureRules::webNeverImportsOtherAdapters, "WebThingUsingSocket"),
                rule("web adapter never imports other adapters: the TCP server", ArchitectureRules::webNeverImportsOtherAdapters, "WebThingUsingServer"),
                rule("socket client never imports the server", ArchitectureRules::socketClientNeverImportsServer, "ClientThingUsingServer"),
                rule("socket server never imports the client", ArchitectureRules::socketServerNeverImportsClient, "ServerThingUsingClient"),
                rule("socket TLS imports neither side: the server", ArchitectureRules::socketTlsImportsNeitherSide, "TlsThingUsingServer"),
                rule("socket TLS imports neither side: the client", ArchitectureRules::socketTlsImportsNeitherSide, "TlsThingUsingClient"),
                rule("what the socket adapter's sides share imports no side", ArchitectureRules::socketSharedImportsNoSide, "SharedThingUsingServer"),
                rule("load generator never imports the server", ArchitectureRules::loadGeneratorNeverImportsServer, "LoadThingUsingServer"),
                rule("app's command line imports no other app package", ArchitectureRules::appCommandLineImportsNoOtherAppPackage, "CliThingUsingWiring"),
                rule("app's trust files never import the wiring", ArchitectureRules::appTrustNeverImportsWiring, "TrustThingUsingWiring"),
                rule("only the app sees the adapters", ArchitectureRules::layers, "SocketThingUsingConsole"),
                rule("only the app sees the adapters: the web adapter", ArchitectureRules::layers, "WebThingUsingSocket"));
    }

    private static Arguments rule(String name, Function<String, ArchRule> rule, String culprit) {
        return Arguments.of(name, rule, culprit);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void catchesItsBadFixture(String name, Function<String, ArchRule> rule, String culprit) {
        EvaluationResult result = rule.apply(FIXTURE).evaluate(BAD);
        assertTrue(result.hasViolation(), name + " found no violation in the bad fixture");
        String report = String.join("\n", result.getFailureReport().getDetails());
        assertTrue(report.contains(culprit), name + " did not name " + culprit + ":\n" + report);
    }
}
