package dev.parley.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes manifests in docs/SCALING.md, read with a YAML parser, since no kubectl is at hand:
 * valid YAML, the fields {@code kubectl apply} needs, and the cross-references that make a
 * Deployment and a Service work together (labels, selectors, named ports). That the container they
 * describe really serves is {@code ScaleOutIT}'s to show.
 */
class ScalingDocTest {

    /** A DNS-1123 label: what Kubernetes allows as an object's or a container's name. */
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    /** An IANA service name: what Kubernetes allows as a port's name. */
    private static final Pattern PORT_NAME = Pattern.compile("(?=.{1,15}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?");

    private static List<JsonNode> manifests;
    private static JsonNode deployment;
    private static JsonNode service;
    private static JsonNode container;

    @BeforeAll
    static void read() throws Exception {
        manifests = ScalingDoc.manifests();
        deployment = ScalingDoc.only(manifests, "Deployment");
        service = ScalingDoc.only(manifests, "Service");
        container = ScalingDoc.container(manifests);
    }

    private static List<String> args() {
        List<String> args = new ArrayList<>();
        container.path("args").forEach(arg -> args.add(arg.asText()));
        return args;
    }

    /** True when {@code port} (a number or a name) names one of the container's ports. */
    private static boolean isContainerPort(JsonNode port) {
        for (JsonNode declared : container.path("ports")) {
            if (port.isInt() ? declared.path("containerPort").asInt() == port.asInt() : declared.path("name").asText().equals(port.asText())) {
                return true;
            }
        }
        return false;
    }

    /** True when every label of {@code selector} is on the Deployment's pods. */
    private static boolean selectsThePods(JsonNode selector) {
        JsonNode labels = deployment.path("spec").path("template").path("metadata").path("labels");
        if (selector.isEmpty()) {
            return false;
        }
        for (Map.Entry<String, JsonNode> label : (Iterable<Map.Entry<String, JsonNode>>) selector::fields) {
            if (!label.getValue().asText().equals(labels.path(label.getKey()).asText(null))) {
                return false;
            }
        }
        return true;
    }

    @Test
    void theBlocksHoldADeploymentAndAServiceAndNothingElse() {
        assertEquals(2, manifests.size(), manifests.toString());
        assertEquals("apps/v1", deployment.path("apiVersion").asText());
        assertEquals("v1", service.path("apiVersion").asText());
        for (JsonNode manifest : manifests) {
            assertTrue(DNS_LABEL.matcher(manifest.path("metadata").path("name").asText()).matches(), manifest.toString());
        }
    }

    @Test
    void theDeploymentRunsReplicasOfTheParleyImageThatItsSelectorFinds() {
        JsonNode spec = deployment.path("spec");
        assertTrue(spec.path("replicas").asInt() >= 2, "replicas, to scale out");
        assertTrue(selectsThePods(spec.path("selector").path("matchLabels")), "the selector matches the pod template's labels");
        assertTrue(DNS_LABEL.matcher(container.path("name").asText()).matches());
        assertTrue(container.path("image").asText().startsWith("parley:"), container.path("image").asText());
        for (JsonNode port : container.path("ports")) {
            int number = port.path("containerPort").asInt();
            assertTrue(number > 0 && number < 65536, port.toString());
            assertTrue(PORT_NAME.matcher(port.path("name").asText()).matches(), port.toString());
        }
        assertTrue(container.path("resources").path("limits").hasNonNull("memory"), "a memory limit sizes the heap");
    }

    @Test
    void theContainerRunsAServerThatOtherPodsReachOnItsDeclaredPort() {
        List<String> args = args();
        assertEquals("server", args.get(0), args.toString());
        int bind = args.indexOf("--bind");
        assertTrue(bind > 0 && List.of("0.0.0.0", "::").contains(args.get(bind + 1)), "listens on every interface: " + args);
        int port = args.indexOf("--port");
        int listening = port > 0 ? Integer.parseInt(args.get(port + 1)) : 1234;
        assertTrue(isContainerPort(container.path("ports").path(0).path("containerPort")), container.toString());
        assertEquals(listening, container.path("ports").path(0).path("containerPort").asInt(), "the declared port is the one it listens on");
        int responder = args.indexOf("--responder");
        assertTrue(responder > 0 && !args.get(responder + 1).equals("console"), "an automatic responder: a console has no one at it");
        assertFalse(args.contains("--proxy-protocol"), "a Service passes the client's address, not a PROXY header");
        assertTrue(isContainerPort(container.path("startupProbe").path("tcpSocket").path("port")), "the probe's port is the container's");
    }

    @Test
    void theServiceSendsItsPortToThePodsAndKeepsTheClientsAddress() {
        JsonNode spec = service.path("spec");
        assertTrue(selectsThePods(spec.path("selector")), "the Service's selector matches the pods");
        assertFalse(spec.path("ports").isEmpty());
        for (JsonNode port : spec.path("ports")) {
            int number = port.path("port").asInt();
            assertTrue(number > 0 && number < 65536, port.toString());
            assertTrue(isContainerPort(port.path("targetPort")), "targetPort names a container port: " + port);
        }
        assertEquals("LoadBalancer", spec.path("type").asText());
        assertEquals("Local", spec.path("externalTrafficPolicy").asText(), "no source NAT: the per-address limit sees real clients");
    }

    @Test
    void theContainerAsksForNoPrivilege() {
        JsonNode security = container.path("securityContext");
        assertTrue(security.path("runAsNonRoot").asBoolean());
        assertTrue(security.path("runAsUser").asInt() > 0);
        assertTrue(security.path("readOnlyRootFilesystem").asBoolean());
        assertFalse(security.path("allowPrivilegeEscalation").asBoolean(true));
        assertEquals("ALL", security.path("capabilities").path("drop").path(0).asText());
    }
}
