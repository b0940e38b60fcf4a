package dev.parley.app;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The architecture holds on every production class of every module (the app sees them all). */
@AnalyzeClasses(packages = "dev.parley", importOptions = {ImportOption.DoNotIncludeTests.class, ArchitectureTest.NoTestJars.class})
class ArchitectureTest {

    /** The core's test-jar (its port contracts, which the wiring's transcripts run) is tests too, packaged or not. */
    static final class NoTestJars implements ImportOption {
        @Override
        public boolean includes(Location location) {
            return !location.contains("-tests.jar");
        }
    }

    private static final String ROOT = "dev.parley";

    @ArchTest
    static final ArchRule core_does_no_network_io = ArchitectureRules.coreDoesNoNetworkIo(ROOT);

    @ArchTest
    static final ArchRule core_reads_no_streams_or_files = ArchitectureRules.coreReadsNoStreamsOrFiles(ROOT);

    @ArchTest
    static final ArchRule core_never_touches_standard_streams = ArchitectureRules.coreNeverTouchesStandardStreams(ROOT);

    @ArchTest
    static final ArchRule core_never_starts_threads_or_sleeps = ArchitectureRules.coreNeverStartsThreadsOrSleeps(ROOT);

    @ArchTest
    static final ArchRule core_uses_no_concurrency_library = ArchitectureRules.coreUsesNoConcurrencyLibrary(ROOT);

    @ArchTest
    static final ArchRule core_never_reads_a_clock = ArchitectureRules.coreNeverReadsAClock(ROOT);

    @ArchTest
    static final ArchRule core_holds_no_lock = ArchitectureRules.coreHoldsNoLock(ROOT);

    @ArchTest
    static final ArchRule core_never_sees_netty = ArchitectureRules.coreNeverSeesNetty(ROOT);

    @ArchTest
    static final ArchRule core_packages_have_no_cycles = ArchitectureRules.corePackagesHaveNoCycles(ROOT);

    @ArchTest
    static final ArchRule socket_adapter_never_imports_other_adapters = ArchitectureRules.adaptersNeverImportEachOther(ROOT);

    @ArchTest
    static final ArchRule console_adapter_never_imports_other_adapters = ArchitectureRules.consoleNeverImportsOtherAdapters(ROOT);

    @ArchTest
    static final ArchRule web_adapter_never_imports_other_adapters = ArchitectureRules.webNeverImportsOtherAdapters(ROOT);

    @ArchTest
    static final ArchRule socket_client_never_imports_server = ArchitectureRules.socketClientNeverImportsServer(ROOT);

    @ArchTest
    static final ArchRule socket_server_never_imports_client = ArchitectureRules.socketServerNeverImportsClient(ROOT);

    @ArchTest
    static final ArchRule socket_tls_imports_neither_side = ArchitectureRules.socketTlsImportsNeitherSide(ROOT);

    @ArchTest
    static final ArchRule socket_shared_imports_no_side = ArchitectureRules.socketSharedImportsNoSide(ROOT);

    @ArchTest
    static final ArchRule load_generator_never_imports_server = ArchitectureRules.loadGeneratorNeverImportsServer(ROOT);

    @ArchTest
    static final ArchRule app_command_line_imports_no_other_app_package = ArchitectureRules.appCommandLineImportsNoOtherAppPackage(ROOT);

    @ArchTest
    static final ArchRule app_trust_never_imports_wiring = ArchitectureRules.appTrustNeverImportsWiring(ROOT);

    @ArchTest
    static final ArchRule only_the_app_sees_the_adapters = ArchitectureRules.layers(ROOT);
}
