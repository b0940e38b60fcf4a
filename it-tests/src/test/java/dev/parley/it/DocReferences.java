package dev.parley.it;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.commonmark.ext.heading.anchor.IdGenerator;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.Code;
import org.commonmark.node.FencedCodeBlock;
import org.commonmark.node.Heading;
import org.commonmark.node.HtmlBlock;
import org.commonmark.node.HtmlInline;
import org.commonmark.node.Image;
import org.commonmark.node.IndentedCodeBlock;
import org.commonmark.node.Link;
import org.commonmark.node.Node;
import org.commonmark.node.Text;
import org.commonmark.parser.IncludeSourceSpans;
import org.commonmark.parser.Parser;

/**
 * What the project's Markdown points at, checked against the files: every relative link (and its
 * {@code #anchor}, into a Markdown file) leads somewhere in the repository, and every path that
 * starts with one of the repository's top-level directories ({@code core/src/...},
 * {@code benchmarks/perf/targets.sh}, {@code .ci/run}), in a code span, a code block or the text,
 * exists. Build output ({@code target/}) and the fuzzer's corpus are made by runs, not kept, and are
 * not checked; {@code ...} in a path stands for any number of directories; URLs are not followed.
 */
final class DocReferences {

    /** One reference that leads nowhere: where it is written and what is wrong. */
    record Problem(String file, int line, String message) {
        @Override
        public String toString() {
            return file + ":" + line + ": " + message;
        }
    }

    /** What reading one file found: its problems, and how many links and paths were checked. */
    record Report(List<Problem> problems, int links, int paths) {}

    /** Directories that runs make and the repository does not keep. */
    private static final Set<String> MADE_BY_RUNS = Set.of("target", ".cifuzz-corpus");
    /** Directories never searched for Markdown. */
    private static final Set<String> NOT_DOCS = Set.of(".git", "target", "node_modules", ".cifuzz-corpus");

    private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:");
    private static final Pattern HTML_LINK = Pattern.compile("\\b(?:src|href)\\s*=\\s*\"([^\"]*)\"");
    /** Segments joined by slashes, not inside a longer path, a URL, a home directory or a variable. */
    private static final Pattern PATH = Pattern.compile("(?<![\\w.~$/@-])\\.?[\\w-]+(?:/[\\w.-]*)+");

    private final Path root;
    private final Set<String> topLevel = new HashSet<>();
    private final Map<Path, Set<String>> anchors = new HashMap<>();
    private final Parser parser = Parser.builder().includeSourceSpans(IncludeSourceSpans.BLOCKS_AND_INLINES).build();

    DocReferences(Path root) throws IOException {
        this.root = root.toAbsolutePath().normalize();
        try (Stream<Path> entries = Files.list(this.root)) {
            entries.filter(Files::isDirectory)
                    .map(entry -> entry.getFileName().toString())
                    .filter(name -> !NOT_DOCS.contains(name))
                    .forEach(topLevel::add);
        }
    }

    /** Every Markdown file of the repository under {@code root}, build output and VCS data left out. */
    static List<Path> markdownFiles(Path root) throws IOException {
        List<Path> found = new ArrayList<>();
        Path start = root.toAbsolutePath().normalize();
        Files.walkFileTree(start, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
                return !dir.equals(start) && NOT_DOCS.contains(dir.getFileName().toString())
                        ? FileVisitResult.SKIP_SUBTREE
                        : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                if (attributes.isRegularFile() && file.getFileName().toString().endsWith(".md")) {
                    found.add(file);
                }
                return FileVisitResult.CONTINUE;
            }
        });
        found.sort(null);
        return found;
    }

    /** The links and cited paths of one Markdown file. */
    Report check(Path markdown) throws IOException {
        Path file = markdown.toAbsolutePath().normalize();
        Reading reading = new Reading(file);
        parse(file).accept(reading);
        return new Report(List.copyOf(reading.problems), reading.links, reading.paths);
    }

    private Node parse(Path file) throws IOException {
        return parser.parse(Files.readString(file, StandardCharsets.UTF_8));
    }

    /** The GitHub anchors of a Markdown file's headings, in order, a repeated one numbered. */
    private Set<String> anchorsOf(Path file) throws IOException {
        Set<String> known = anchors.get(file);
        if (known == null) {
            IdGenerator ids = IdGenerator.builder().build();
            Set<String> found = new TreeSet<>();
            parse(file).accept(new AbstractVisitor() {
                @Override
                public void visit(Heading heading) {
                    found.add(ids.generateId(plainText(heading)));
                }
            });
            known = found;
            anchors.put(file, known);
        }
        return known;
    }

    private static String plainText(Node node) {
        StringBuilder text = new StringBuilder();
        for (Node child = node.getFirstChild(); child != null; child = child.getNext()) {
            if (child instanceof Text plain) {
                text.append(plain.getLiteral());
            } else if (child instanceof Code code) {
                text.append(code.getLiteral());
            } else {
                text.append(plainText(child));
            }
        }
        return text.toString();
    }

    /** One file's walk: each node that can hold a link or a path is checked where it stands. */
    private final class Reading extends AbstractVisitor {
        private final Path file;
        private final String name;
        private final List<Problem> problems = new ArrayList<>();
        private int links;
        private int paths;

        Reading(Path file) {
            this.file = file;
            this.name = root.relativize(file).toString();
        }

        @Override
        public void visit(Link link) {
            link(link.getDestination(), line(link));
            visitChildren(link);
        }

        @Override
        public void visit(Image image) {
            link(image.getDestination(), line(image));
            visitChildren(image);
        }

        @Override
        public void visit(HtmlInline html) {
            htmlLinks(html.getLiteral(), line(html));
        }

        @Override
        public void visit(HtmlBlock html) {
            htmlLinks(html.getLiteral(), line(html));
        }

        @Override
        public void visit(Text text) {
            paths(text.getLiteral(), line(text));
        }

        @Override
        public void visit(Code code) {
            paths(code.getLiteral(), line(code));
        }

        @Override
        public void visit(FencedCodeBlock block) {
            paths(block.getLiteral(), line(block) + 1); // the literal starts after the opening fence
        }

        @Override
        public void visit(IndentedCodeBlock block) {
            paths(block.getLiteral(), line(block));
        }

        private void htmlLinks(String html, int firstLine) {
            Matcher link = HTML_LINK.matcher(html);
            while (link.find()) {
                link(link.group(1), firstLine + linesBefore(html, link.start()));
            }
        }

        private void link(String destination, int line) {
            if (destination == null || destination.isEmpty() || SCHEME.matcher(destination).find()
                    || destination.startsWith("//")) {
                return; // a URL (or mail address) is not followed: no network
            }
            links++;
            int hash = destination.indexOf('#');
            String path = URLDecoder.decode(hash < 0 ? destination : destination.substring(0, hash), StandardCharsets.UTF_8);
            String anchor = hash < 0 ? null : destination.substring(hash + 1);
            Path target = path.isEmpty() ? file : file.getParent().resolve(path).normalize();
            if (!target.startsWith(root)) {
                problems.add(new Problem(name, line, "the link " + destination + " leads outside the repository"));
            } else if (!Files.exists(target)) {
                problems.add(new Problem(name, line, "the link " + destination + " leads to "
                        + root.relativize(target) + ", which does not exist"));
            } else if (anchor != null && target.getFileName().toString().endsWith(".md")) {
                try {
                    if (!anchorsOf(target).contains(anchor)) {
                        problems.add(new Problem(name, line, "the link " + destination + ": "
                                + root.relativize(target) + " has no heading #" + anchor));
                    }
                } catch (IOException e) {
                    problems.add(new Problem(name, line, "the link " + destination + ": cannot read it: " + e));
                }
            }
        }

        private void paths(String text, int firstLine) {
            Matcher candidate = PATH.matcher(text);
            while (candidate.find()) {
                String cited = candidate.group();
                while (cited.endsWith(".") && !cited.endsWith("...")) {
                    cited = cited.substring(0, cited.length() - 1); // a sentence's full stop
                }
                String first = cited.substring(0, cited.indexOf('/'));
                if (!topLevel.contains(first)) {
                    continue; // not a repository path: ~/.config/parley, a/b in prose, dev.parley...
                }
                List<String> segments = List.of(cited.split("/"));
                if (segments.stream().anyMatch(MADE_BY_RUNS::contains)) {
                    continue;
                }
                paths++;
                if (!exists(segments)) {
                    problems.add(new Problem(name, firstLine + linesBefore(text, candidate.start()),
                            cited + " does not exist"));
                }
            }
        }

        /** Whether the path exists; a {@code ...} segment stands for any number of directories. */
        private boolean exists(List<String> segments) {
            int elided = segments.indexOf("...");
            if (elided < 0) {
                Path path = root.resolve(String.join("/", segments)).normalize();
                return path.startsWith(root) && Files.exists(path);
            }
            Path above = root.resolve(String.join("/", segments.subList(0, elided))).normalize();
            String below = String.join("/", segments.subList(elided + 1, segments.size()));
            if (!above.startsWith(root) || !Files.isDirectory(above)) {
                return false;
            }
            if (below.isEmpty()) {
                return true;
            }
            try (Stream<Path> walk = Files.walk(above)) {
                return walk.map(path -> above.relativize(path).toString().replace('\\', '/'))
                        .anyMatch(relative -> relative.equals(below) || relative.endsWith("/" + below));
            } catch (IOException e) {
                return false;
            }
        }

        private static int line(Node node) {
            return node.getSourceSpans().isEmpty() ? 0 : node.getSourceSpans().get(0).getLineIndex() + 1;
        }

        private static int linesBefore(String text, int end) {
            int lines = 0;
            for (int i = 0; i < end; i++) {
                if (text.charAt(i) == '\n') {
                    lines++;
                }
            }
            return lines;
        }
    }
}
