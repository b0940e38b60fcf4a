package dev.parley.app;

import static com.tngtech.archunit.core.domain.JavaCall.Predicates.target;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.name;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.nameMatching;
import static com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With.owner;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.Source;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.lang.conditions.ArchConditions;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Timer;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Parley's architecture rules, as factories over a root package so that each one can be shown to
 * fail on a deliberately bad fixture (see {@code ArchitectureRulesCanFailTest}) as well as to hold
 * on the real code (see {@code ArchitectureTest}). Maven's module graph is the first wall (the
 * core depends on nothing); these add what Maven cannot see.
 */
final class ArchitectureRules {

    private ArchitectureRules() {}

    static ArchRule coreDoesNoNetworkIo(String root) {
        return noClasses().that().resideInAPackage(root + ".core..")
                .should().dependOnClassesThat().resideInAnyPackage("java.net..", "java.nio.channels..")
                .because("the core is pure: drivers own the network, so the core runs the same over any transport");
    }

    static ArchRule coreReadsNoStreamsOrFiles(String root) {
        return noClasses().that().resideInAPackage(root + ".core..")
                .should().dependOnClassesThat().areAssignableTo(InputStream.class)
                .orShould().dependOnClassesThat().areAssignableTo(OutputStream.class)
                .orShould().dependOnClassesThat().areAssignableTo(Reader.class)
                .orShould().dependOnClassesThat().areAssignableTo(Writer.class)
                .orShould().dependOnClassesThat().belongToAnyOf(File.class, RandomAccessFile.class)
                .orShould().dependOnClassesThat().resideInAPackage("java.nio.file..")
                .because("the core takes bytes and gives bytes back; where they come from is a driver's business");
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
                .orShould().dependOnClassesThat().belongToAnyOf(Timer.class)
                .because("time and threads come in through the edges; the core must run in any caller's thread");
    }

    static ArchRule coreUsesNoConcurrencyLibrary(String root) {
        return noClasses().that().resideInAPackage(root + ".core..")
                .should().dependOnClassesThat().resideInAPackage("java.util.concurrent..")
                .because("one thread at a time drives a session; locks, atomics and executors belong to drivers");
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
                .because("a core that reads the clock cannot be tested deterministically; time is an input");
    }

    static ArchRule coreHoldsNoLock(String root) {
        DescribedPredicate<JavaCall<?>> waitsOrNotifies = target(owner(JavaClass.Predicates.equivalentTo(Object.class)))
                .and(target(nameMatching("wait|notify|notifyAll")))
                .as("waits or notifies");
        return classes().that().resideInAPackage(root + ".core..")
                .should(takeNoMonitor())
                .andShould(ArchConditions.never(ArchConditions.callMethodWhere(waitsOrNotifies)))
                .because("a session is driven by one thread at a time: a lock in the core hides a second one");
    }

    static ArchRule coreNeverSeesNetty(String root) {
        return noClasses().that().resideInAPackage(root + ".core..")
                .should().dependOnClassesThat().resideInAPackage("io.netty..")
                .because("Netty drives the server; the core must serve any driver, a browser's or a test's");
    }

    static ArchRule corePackagesHaveNoCycles(String root) {
        return slices().matching(root + ".core.(*)..").should().beFreeOfCycles()
                .because("the session builds on the wire and the responders, never the other way round");
    }

    static ArchRule adaptersNeverImportEachOther(String root) {
        return noClasses().that().resideInAPackage(root + ".socket..")
                .should().dependOnClassesThat().resideInAPackage(root + ".console..")
                .orShould().dependOnClassesThat().resideInAPackage(root + ".web..")
                .orShould().dependOnClassesThat().resideInAPackage(root + ".app..")
                .because("adapters depend on the core only; the app wires them together");
    }

    static ArchRule consoleNeverImportsOtherAdapters(String root) {
        return noClasses().that().resideInAPackage(root + ".console..")
                .should().dependOnClassesThat().resideInAPackage(root + ".socket..")
                .orShould().dependOnClassesThat().resideInAPackage(root + ".web..")
                .orShould().dependOnClassesThat().resideInAPackage(root + ".app..")
                .because("adapters depend on the core only; the app wires them together");
    }

    static ArchRule webNeverImportsOtherAdapters(String root) {
        return noClasses().that().resideInAPackage(root + ".web..")
                .should().dependOnClassesThat().resideInAPackage(root + ".socket..")
                .orShould().dependOnClassesThat().resideInAPackage(root + ".console..")
                .orShould().dependOnClassesThat().resideInAPackage(root + ".app..")
                .because("the web adapter is a front the app puts before the server's handler: it speaks to it through "
                        + "Netty's pipeline and the core's own inputs and actions, never by importing it");
    }

    static ArchRule socketClientNeverImportsServer(String root) {
        return noClasses().that().resideInAPackage(root + ".socket.client..")
                .should().dependOnClassesThat().resideInAPackage(root + ".socket.server..")
                .because("the client and the server meet only on the wire: each is a driver of its own, read, tested and "
                        + "changed without the other");
    }

    static ArchRule socketServerNeverImportsClient(String root) {
        return noClasses().that().resideInAPackage(root + ".socket.server..")
                .should().dependOnClassesThat().resideInAPackage(root + ".socket.client..")
                .because("the client and the server meet only on the wire: each is a driver of its own, read, tested and "
                        + "changed without the other");
    }

    static ArchRule socketTlsImportsNeitherSide(String root) {
        return noClasses().that().resideInAPackage(root + ".socket.tls..")
                .should().dependOnClassesThat().resideInAPackage(root + ".socket.server..")
                .orShould().dependOnClassesThat().resideInAPackage(root + ".socket.client..")
                .because("TLS is what both sides stand on (identities, trust, the handshake and its failures); it hears "
                        + "from a side through a callback of its own, never by importing it");
    }

    static ArchRule socketSharedImportsNoSide(String root) {
        return noClasses().that().resideInAPackage(root + ".socket")
                .should().dependOnClassesThat().resideInAnyPackage(root + ".socket.server..", root + ".socket.client..",
                        root + ".socket.tls..")
                .because("what the socket adapter's sides share (addresses, errors, the client's wire) sits beneath them all");
    }

    static ArchRule loadGeneratorNeverImportsServer(String root) {
        return noClasses().that().resideInAPackage(root + ".load..")
                .should().dependOnClassesThat().resideInAPackage(root + ".socket.server..")
                .because("the load generator is a client: it measures a server from outside, over the network, as any "
                        + "client would");
    }

    static ArchRule appCommandLineImportsNoOtherAppPackage(String root) {
        return noClasses().that().resideInAPackage(root + ".app.cli..")
                .should().dependOnClassesThat().resideInAnyPackage(root + ".app", root + ".app.trust..", root + ".app.wiring..")
                .because("the command line is the table of commands and its parsing: it says what was asked, and knows "
                        + "nothing of the files read or the objects built for it");
    }

    static ArchRule appTrustNeverImportsWiring(String root) {
        return noClasses().that().resideInAPackage(root + ".app.trust..")
                .should().dependOnClassesThat().resideInAnyPackage(root + ".app", root + ".app.wiring..")
                .because("the trust files are read and written under one file policy whoever asks; what is built from "
                        + "them is the wiring's business");
    }

    static ArchRule layers(String root) {
        return layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("Core").definedBy(root + ".core..")
                .layer("Socket adapter").definedBy(root + ".socket..")
                .layer("Console adapter").definedBy(root + ".console..")
                .layer("Web adapter").definedBy(root + ".web..")
                .layer("Cluster adapter").definedBy(root + ".cluster..")
                .layer("Load generator").definedBy(root + ".load..")
                .layer("App").definedBy(root + ".app..")
                .whereLayer("App").mayNotBeAccessedByAnyLayer()
                .whereLayer("Load generator").mayOnlyBeAccessedByLayers("App")
                .whereLayer("Socket adapter").mayOnlyBeAccessedByLayers("Load generator", "App")
                .whereLayer("Console adapter").mayOnlyBeAccessedByLayers("App")
                .whereLayer("Web adapter").mayOnlyBeAccessedByLayers("App")
                .whereLayer("Cluster adapter").mayOnlyBeAccessedByLayers("App")
                .whereLayer("Core").mayOnlyBeAccessedByLayers("Socket adapter", "Console adapter", "Web adapter",
                        "Cluster adapter", "Load generator", "App")
                .because("only the app sees the adapters and the load generator (which drives the socket adapter's client); "
                        + "the core sees none");
    }

    /**
     * No synchronized method, and no synchronized block: a block is a MONITORENTER instruction in
     * the bytecode, which ArchUnit's model does not show, so the class file is read with ASM.
     */
    private static ArchCondition<JavaClass> takeNoMonitor() {
        return new ArchCondition<>("take no lock (no synchronized method or block)") {
            @Override
            public void check(JavaClass javaClass, ConditionEvents events) {
                for (JavaMethod method : javaClass.getMethods()) {
                    if (method.getModifiers().contains(JavaModifier.SYNCHRONIZED)) {
                        events.add(SimpleConditionEvent.violated(method, method.getFullName() + " is synchronized"));
                    }
                }
                for (String method : methodsWithMonitors(javaClass)) {
                    events.add(SimpleConditionEvent.violated(javaClass,
                            javaClass.getName() + "." + method + " has a synchronized block"));
                }
            }
        };
    }

    private static List<String> methodsWithMonitors(JavaClass javaClass) {
        Source source = javaClass.getSource().orElseThrow(
                () -> new IllegalStateException("no class file known for " + javaClass.getName()));
        List<String> found = new ArrayList<>();
        try (InputStream in = source.getUri().toURL().openStream()) {
            new ClassReader(in).accept(new ClassVisitor(Opcodes.ASM9) {
                @Override
                public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                    return new MethodVisitor(Opcodes.ASM9) {
                        @Override
                        public void visitInsn(int opcode) {
                            if (opcode == Opcodes.MONITORENTER && !found.contains(name)) {
                                found.add(name);
                            }
                        }
                    };
                }
            }, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + source.getUri(), e);
        }
        return found;
    }
}
