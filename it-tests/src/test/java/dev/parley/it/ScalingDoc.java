package dev.parley.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** docs/SCALING.md's Kubernetes manifests, read from its {@code yaml} code blocks with a YAML parser. */
final class ScalingDoc {

    static final Path FILE = Path.of("..", "docs", "SCALING.md");

    private static final Pattern YAML_BLOCK = Pattern.compile("^```yaml\\n(.*?)^```$", Pattern.DOTALL | Pattern.MULTILINE);
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private ScalingDoc() {}

    /** Every YAML document in the file's {@code yaml} blocks, in order (a block may hold several, split by ---). */
    static List<JsonNode> manifests() throws IOException {
        String text = Files.readString(FILE, StandardCharsets.UTF_8);
        List<JsonNode> documents = new ArrayList<>();
        Matcher block = YAML_BLOCK.matcher(text);
        ObjectReader reader = YAML.readerFor(JsonNode.class);
        while (block.find()) {
            MappingIterator<JsonNode> inBlock = reader.readValues(block.group(1));
            while (inBlock.hasNext()) {
                documents.add(inBlock.next());
            }
        }
        return documents;
    }

    /** The one manifest of {@code kind}. */
    static JsonNode only(List<JsonNode> manifests, String kind) {
        List<JsonNode> found = new ArrayList<>();
        for (JsonNode manifest : manifests) {
            if (kind.equals(manifest.path("kind").asText())) {
                found.add(manifest);
            }
        }
        if (found.size() != 1) {
            throw new AssertionError("one " + kind + " expected in " + FILE + ", found " + found.size());
        }
        return found.get(0);
    }

    /** The Deployment's one container. */
    static JsonNode container(List<JsonNode> manifests) {
        JsonNode containers = only(manifests, "Deployment").path("spec").path("template").path("spec").path("containers");
        if (containers.size() != 1) {
            throw new AssertionError("the Deployment should run one container, runs " + containers.size());
        }
        return containers.get(0);
    }
}
