package dev.parley.core;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Lists the public API of a compiled module as text, one line per type and per member, sorted, so
 * that two listings can be compared line by line (in the manner of Kotlin's binary-compatibility
 * validator). The API is every public or protected type of the packages the module exports
 * (unqualified exports only), reachable from outside through public or protected enclosing types,
 * and each such type's public or protected constructors, methods and fields with their full
 * generic signatures. A type's line holds its kind, modifiers, record components, supertypes and
 * permitted subtypes; an enum's constants are listed in their order; a static final primitive or
 * string field shows its value, which callers compile in.
 */
final class ApiSignatures {

    private ApiSignatures() {}

    /** The listing of the module compiled into {@code classes} (the directory holding its module-info.class). */
    static String of(Path classes, ClassLoader loader) throws IOException {
        ModuleDescriptor module;
        try (InputStream in = Files.newInputStream(classes.resolve("module-info.class"))) {
            module = ModuleDescriptor.read(in);
        }
        List<String> packages = module.exports().stream()
                .filter(e -> !e.isQualified())
                .map(ModuleDescriptor.Exports::source)
                .sorted()
                .collect(Collectors.toList());
        StringBuilder out = new StringBuilder();
        out.append("module ").append(module.name()).append('\n');
        for (String pkg : packages) {
            out.append("  exports ").append(pkg).append('\n');
        }
        for (Class<?> type : types(classes, packages, loader)) {
            out.append('\n').append(header(type)).append('\n');
            for (String member : members(type)) {
                out.append("  ").append(member).append('\n');
            }
        }
        return out.toString();
    }

    /** The API's types in the exported packages, nested ones included, by name. */
    private static List<Class<?>> types(Path classes, List<String> packages, ClassLoader loader) throws IOException {
        List<Class<?>> types = new ArrayList<>();
        for (String pkg : packages) {
            List<String> names;
            try (Stream<Path> files = Files.list(classes.resolve(pkg.replace('.', '/')))) {
                names = files.map(f -> f.getFileName().toString())
                        .filter(f -> f.endsWith(".class") && !f.equals("package-info.class"))
                        .map(f -> pkg + "." + f.substring(0, f.length() - ".class".length()))
                        .sorted()
                        .collect(Collectors.toList());
            }
            for (String name : names) {
                Class<?> type;
                try {
                    type = Class.forName(name, false, loader);
                } catch (ClassNotFoundException e) {
                    throw new IllegalStateException("compiled but not loadable: " + name, e);
                }
                if (visibleOutside(type)) {
                    types.add(type);
                }
            }
        }
        types.sort(Comparator.comparing(Class::getName));
        return types;
    }

    private static boolean visibleOutside(Class<?> type) {
        for (Class<?> t = type; t != null; t = t.getDeclaringClass()) {
            if (t.isAnonymousClass() || t.isLocalClass() || !exposed(t.getModifiers())) {
                return false;
            }
        }
        return true;
    }

    private static boolean exposed(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }

    /** E.g. {@code public final record dev.parley.core.wire.Frame$Message(java.lang.String text) implements dev.parley.core.wire.Frame}. */
    private static String header(Class<?> type) {
        List<String> words = new ArrayList<>();
        int m = type.getModifiers();
        words.add(Modifier.isPublic(m) ? "public" : "protected");
        if (type.getDeclaringClass() != null && Modifier.isStatic(m) && !type.isInterface() && !type.isEnum() && !type.isRecord()) {
            words.add("static");
        }
        if (type.isAnnotation()) {
            words.add("@interface");
        } else if (type.isInterface()) {
            words.add(sealing(type) + "interface");
        } else if (type.isEnum()) {
            words.add("enum");
        } else if (type.isRecord()) {
            words.add("record");
        } else {
            if (Modifier.isAbstract(m)) {
                words.add("abstract");
            }
            if (Modifier.isFinal(m)) {
                words.add("final");
            }
            words.add(sealing(type) + "class");
        }
        StringBuilder line = new StringBuilder();
        Arrays.stream(type.getDeclaredAnnotations())
                .map(a -> "@" + a.annotationType().getName() + " ")
                .sorted()
                .forEach(line::append);
        line.append(String.join(" ", words));
        line.append(' ').append(type.getName()).append(typeParameters(type.getTypeParameters()));
        if (type.isRecord()) {
            line.append(Arrays.stream(type.getRecordComponents())
                    .map(c -> c.getGenericType().getTypeName() + " " + c.getName())
                    .collect(Collectors.joining(", ", "(", ")")));
        }
        Type superclass = type.getGenericSuperclass();
        if (superclass != null && !type.isEnum() && !type.isRecord() && superclass != Object.class) {
            line.append(" extends ").append(superclass.getTypeName());
        }
        Type[] interfaces = type.getGenericInterfaces();
        if (interfaces.length > 0 && !type.isAnnotation()) {
            line.append(type.isInterface() ? " extends " : " implements ")
                    .append(Arrays.stream(interfaces).map(Type::getTypeName).collect(Collectors.joining(", ")));
        }
        if (type.isSealed()) {
            line.append(" permits ").append(Arrays.stream(type.getPermittedSubclasses())
                    .map(Class::getName).sorted().collect(Collectors.joining(", ")));
        }
        return line.toString();
    }

    /** "sealed ", "non-sealed " or "": what a subtype of a sealed type must say, and what a sealed type is. */
    private static String sealing(Class<?> type) {
        if (type.isSealed()) {
            return "sealed ";
        }
        boolean underSealed = (type.getSuperclass() != null && type.getSuperclass().isSealed())
                || Arrays.stream(type.getInterfaces()).anyMatch(Class::isSealed);
        boolean closed = Modifier.isFinal(type.getModifiers()) || type.isRecord() || type.isEnum();
        return underSealed && !closed ? "non-sealed " : "";
    }

    private static List<String> members(Class<?> type) {
        List<String> lines = new ArrayList<>();
        if (type.isEnum()) {
            lines.add("enum constants " + Arrays.stream(type.getEnumConstants())
                    .map(c -> ((Enum<?>) c).name()).collect(Collectors.joining(", ")));
        }
        // Fields, then constructors, then methods, each by name and parameters: a member whose type
        // changes keeps its place, so the diff shows the old and the new line together.
        TreeMap<String, String> sorted = new TreeMap<>();
        for (Field field : type.getDeclaredFields()) {
            if (exposed(field.getModifiers()) && !field.isSynthetic() && !field.isEnumConstant()) {
                sorted.put("1 " + field.getName(), field(field));
            }
        }
        for (Constructor<?> constructor : type.getDeclaredConstructors()) {
            if (exposed(constructor.getModifiers()) && !constructor.isSynthetic()) {
                sorted.put("2 " + parameters(constructor), executable(constructor, "", type.getSimpleName()));
            }
        }
        for (Method method : type.getDeclaredMethods()) {
            if (exposed(method.getModifiers()) && !method.isSynthetic() && !method.isBridge()) {
                sorted.put("3 " + method.getName() + parameters(method),
                        executable(method, method.getGenericReturnType().getTypeName() + " ", method.getName()));
            }
        }
        lines.addAll(sorted.values());
        return lines;
    }

    private static String field(Field field) {
        String line = modifiers(field, false) + field.getGenericType().getTypeName() + " " + field.getName();
        int m = field.getModifiers();
        boolean constant = Modifier.isStatic(m) && Modifier.isFinal(m)
                && (field.getType().isPrimitive() || field.getType() == String.class);
        if (constant) {
            try {
                Object value = field.get(null);
                line += " = " + (value instanceof String ? '"' + (String) value + '"' : value);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException("a public constant that cannot be read: " + field, e);
            }
        }
        return line;
    }

    /** E.g. {@code (byte[], int, int)} or {@code (java.lang.String...)}. */
    private static String parameters(Executable executable) {
        String params = Arrays.stream(executable.getGenericParameterTypes())
                .map(Type::getTypeName)
                .collect(Collectors.joining(", ", "(", ")"));
        return executable.isVarArgs() ? params.substring(0, params.length() - 3) + "...)" : params;
    }

    private static String executable(Executable executable, String returns, String name) {
        String params = parameters(executable);
        String typeParameters = typeParameters(executable.getTypeParameters());
        String line = modifiers(executable, executable instanceof Method && ((Method) executable).isDefault())
                + (typeParameters.isEmpty() ? "" : typeParameters + " ") + returns + name + params;
        Type[] thrown = executable.getGenericExceptionTypes();
        if (thrown.length > 0) {
            line += " throws " + Arrays.stream(thrown).map(Type::getTypeName).collect(Collectors.joining(", "));
        }
        return line;
    }

    /** The modifiers a caller or implementor depends on: visibility, static, final, abstract, default. */
    private static String modifiers(Member member, boolean isDefault) {
        int m = member.getModifiers();
        StringBuilder out = new StringBuilder(Modifier.isPublic(m) ? "public " : "protected ");
        if (isDefault) {
            out.append("default ");
        }
        if (Modifier.isStatic(m)) {
            out.append("static ");
        }
        if (Modifier.isAbstract(m)) {
            out.append("abstract ");
        }
        if (Modifier.isFinal(m)) {
            out.append("final ");
        }
        return out.toString();
    }

    private static String typeParameters(TypeVariable<?>[] variables) {
        if (variables.length == 0) {
            return "";
        }
        return Arrays.stream(variables).map(v -> {
            List<String> bounds = Arrays.stream(v.getBounds())
                    .filter(b -> b != Object.class)
                    .map(Type::getTypeName)
                    .collect(Collectors.toList());
            return bounds.isEmpty() ? v.getName() : v.getName() + " extends " + String.join(" & ", bounds);
        }).collect(Collectors.joining(", ", "<", ">"));
    }

    /**
     * The differences between two listings as unified-diff hunks, each headed by the type it is in:
     * {@code -} for a line of {@code expected} that {@code actual} lacks, {@code +} for the reverse.
     */
    static String diff(String expected, String actual) {
        List<String> a = expected.lines().collect(Collectors.toList());
        List<String> b = actual.lines().collect(Collectors.toList());
        // Longest common subsequence, from the ends: lcs[i][j] for a[i..] and b[j..].
        int[][] lcs = new int[a.size() + 1][b.size() + 1];
        for (int i = a.size() - 1; i >= 0; i--) {
            for (int j = b.size() - 1; j >= 0; j--) {
                lcs[i][j] = a.get(i).equals(b.get(j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        List<String> edits = new ArrayList<>(); // each line prefixed with ' ', '-' or '+'
        List<Integer> lineInA = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < a.size() || j < b.size()) {
            if (i < a.size() && j < b.size() && a.get(i).equals(b.get(j))) {
                edits.add(" " + a.get(i));
                lineInA.add(i++);
                j++;
            } else if (i < a.size() && (j == b.size() || lcs[i + 1][j] >= lcs[i][j + 1])) {
                edits.add("-" + a.get(i));
                lineInA.add(i++);
            } else {
                edits.add("+" + b.get(j++));
                lineInA.add(i);
            }
        }
        StringBuilder out = new StringBuilder();
        int context = 2;
        int k = 0;
        while (k < edits.size()) {
            if (edits.get(k).charAt(0) == ' ') {
                k++;
                continue;
            }
            int start = Math.max(0, k - context);
            int end = k;
            // A hunk runs on while the next change is within twice the context.
            for (int n = k; n < edits.size() && n <= end + 2 * context; n++) {
                if (edits.get(n).charAt(0) != ' ') {
                    end = n;
                }
            }
            end = Math.min(edits.size() - 1, end + context);
            out.append("@@ line ").append(lineInA.get(start) + 1).append(" of the baseline, in: ")
                    .append(enclosingType(a, lineInA.get(k))).append('\n');
            for (int n = start; n <= end; n++) {
                out.append(edits.get(n)).append('\n');
            }
            k = end + 1;
        }
        return out.toString();
    }

    /** The type header above line {@code index} of a listing (a line that is not indented). */
    private static String enclosingType(List<String> lines, int index) {
        for (int n = Math.min(index, lines.size() - 1); n >= 0; n--) {
            String line = lines.get(n);
            if (!line.isEmpty() && !line.startsWith(" ")) {
                return line;
            }
        }
        return "(the start)";
    }
}
