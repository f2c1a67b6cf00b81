package io.fleetward.operate;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The objects {@code helm template} rendered, parsed into fabric8's Kubernetes model classes (the
 * Prometheus Operator's kinds as generic resources). Unknown fields fail the parse, so a misspelt
 * field in a template is an error here, as it would be for the API server's strict validation.
 */
record RenderedChart(List<HasMetadata> objects) {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of("Deployment", Deployment.class,
            "Service", Service.class, "ConfigMap", ConfigMap.class, "PersistentVolumeClaim", PersistentVolumeClaim.class,
            "ServiceAccount", ServiceAccount.class);

    static RenderedChart parse(String manifests) {
        List<HasMetadata> objects = new ArrayList<>();
        try (JsonParser parser = YAML.getFactory().createParser(manifests);
                MappingIterator<JsonNode> documents = YAML.readValues(parser, JsonNode.class)) {
            while (documents.hasNext()) {
                JsonNode document = documents.next();
                if (document == null || document.isEmpty() || document.isMissingNode()) {
                    continue;
                }
                String kind = document.path("kind").asText();
                Class<? extends HasMetadata> type = KINDS.getOrDefault(kind, GenericKubernetesResource.class);
                objects.add(YAML.treeToValue(document, type));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("rendered chart does not parse as Kubernetes objects:\n" + manifests, e);
        }
        return new RenderedChart(objects);
    }

    List<String> kinds() {
        return objects.stream().map(HasMetadata::getKind).sorted().toList();
    }

    <T extends HasMetadata> T only(Class<T> type) {
        List<T> found = objects.stream().filter(type::isInstance).map(type::cast).toList();
        if (found.size() != 1) {
            throw new AssertionError("expected one " + type.getSimpleName() + ", found " + found.size());
        }
        return found.get(0);
    }

    Optional<GenericKubernetesResource> generic(String kind) {
        return objects.stream().filter(o -> o instanceof GenericKubernetesResource && kind.equals(o.getKind()))
                .map(GenericKubernetesResource.class::cast).findFirst();
    }

    /** The application.properties the ConfigMap holds. */
    Properties applicationProperties() {
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(only(ConfigMap.class).getData().get("application.properties")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }
}
