package dev.parley.app;

import static com.tngtech.archunit.core.domain.JavaCall.Predicates.target;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.name;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.nameMatching;
import static com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With.owner;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.lang.ArchRule;
import java.time.Clock;
import java.util.Timer;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;

/**
 * Parley's architecture rules, as factories over a root package so that each one can be shown to
 * fail on a deliberately bad fixture (see {@code ArchitectureRulesCanFailTest}) as well as to hold
 * on the real code (see {@code ArchitectureTest}).
 */
final class ArchitectureRules {

    private ArchitectureRules() {}

    static ArchRule coreDoesNoNetworkIo(String root) {
        return noClasses().that().resideInAPackage(root + ".core..")
                .should().dependOnClassesThat().resideInAnyPackage("java.net..", "java.nio.channels..")
                .because("the core is pure: adapters own the network, so the core runs the same over any transport");
    }

    static ArchRule coreNeverTouchesStandardStreams(String root) {
        return noClasses().that().resideInAPackage(root + ".core..")
                .should().accessField(System.class, "in")
                .orShould().accessField(System.class, "out")
                .orShould().accessField(System.class, "err")
                .orShould().dependOnClassesThat().resideInAPackage(root + ".console..")
                .because("the console adapter owns the terminal; the core only decides what is shown");
    }

    static ArchRule coreNeverStartsThreadsOrSleeps(String root) {
        DescribedPredicate<JavaCall<?>> threadControl = target(owner(JavaClass.Predicates.assignableTo(Thread.class)))
                .and(target(nameMatching("start|sleep|onSpinWait|join")))
                .as("starts, sleeps or joins a thread");
        return noClasses().that().resideInAPackage(root + ".core..")
                .should().callMethodWhere(threadControl)
                .orShould().callConstructorWhere(target(owner(JavaClass.Predicates.assignableTo(Thread.class))))
                .orShould().dependOnClassesThat().belongToAnyOf(Executor.class, Executors.class, ThreadFactory.class, Timer.class)
                .orShould().dependOnClassesThat().areAssignableTo(Executor.class)
                .because("time and threads come in through the edges; the core must run in any caller's thread");
    }

    static ArchRule coreNeverReadsAClock(String root) {
        DescribedPredicate<JavaCall<?>> readsClock = target(owner(JavaClass.Predicates.equivalentTo(System.class)))
                .and(target(nameMatching("currentTimeMillis|nanoTime")))
                .or(target(owner(JavaClass.Predicates.resideInAPackage("java.time..")))
                        .and(target(name("now"))))
                .as("reads the clock");
        return noClasses().that().resideInAPackage(root + ".core..")
                .should().callMethodWhere(readsClock)
                .orShould().dependOnClassesThat().areAssignableTo(Clock.class)
                .because("a core that reads the clock cannot be tested deterministically; pass time in");
    }

    static ArchRule adaptersNeverImportEachOther(String root) {
        return noClasses().that().resideInAPackage(root + ".socket..")
                .should().dependOnClassesThat().resideInAPackage(root + ".console..")
                .orShould().dependOnClassesThat().resideInAPackage(root + ".app..")
                .because("adapters depend on the core only; the app wires them together");
    }

    static ArchRule consoleNeverImportsOtherAdapters(String root) {
        return noClasses().that().resideInAPackage(root + ".console..")
                .should().dependOnClassesThat().resideInAPackage(root + ".socket..")
                .orShould().dependOnClassesThat().resideInAPackage(root + ".app..")
                .because("adapters depend on the core only; the app wires them together");
    }

    static ArchRule layers(String root) {
        return layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("Core").definedBy(root + ".core..")
                .layer("Socket adapter").definedBy(root + ".socket..")
                .layer("Console adapter").definedBy(root + ".console..")
                .layer("App").definedBy(root + ".app..")
                .whereLayer("App").mayNotBeAccessedByAnyLayer()
                .whereLayer("Socket adapter").mayOnlyBeAccessedByLayers("App")
                .whereLayer("Console adapter").mayOnlyBeAccessedByLayers("App")
                .whereLayer("Core").mayOnlyBeAccessedByLayers("Socket adapter", "Console adapter", "App")
                .because("only the app sees both adapters; the core sees none");
    }
}
