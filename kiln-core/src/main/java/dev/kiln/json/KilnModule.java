package dev.kiln.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializationConfig;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.ContextualDeserializer;
import com.fasterxml.jackson.databind.deser.Deserializers;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.Serializers;
import dev.kiln.data.DataSource;
import dev.kiln.data.DataStream;
import dev.kiln.data.FileSourcePolicy;
import dev.kiln.error.KilnException;
import dev.kiln.modelformat.ModelFormat;
import dev.kiln.module.Model;
import dev.kiln.module.ModuleRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Base64;

/**
 * Teaches Jackson Kiln's parameter types: data streams travel as caikit-shaped descriptors and models as
 * {@code {"model_bytes": base64}} (or are read from {@code {"model_path": …}}), so one parameters record can cross
 * to a child JVM, a Slurm node or arrive over HTTP.
 */
public final class KilnModule extends SimpleModule {

    public KilnModule() {
        super("kiln");
        addSerializer(DataSource.class, new JsonSerializer<>() {
            @Override
            public void serialize(DataSource value, JsonGenerator gen, SerializerProvider p) throws IOException {
                gen.writeTree(value.toJson());
            }
        });
        addDeserializer(DataSource.class, new JsonDeserializer<>() {
            @Override
            public DataSource deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
                return DataSource.fromJson(p.readValueAsTree());
            }
        });
    }

    @Override
    public void setupModule(SetupContext context) {
        super.setupModule(context);
        context.addSerializers(new KilnSerializers());
        context.addDeserializers(new KilnDeserializers());
    }

    private static final class KilnSerializers extends Serializers.Base {
        @Override
        public JsonSerializer<?> findSerializer(SerializationConfig config, JavaType type, BeanDescription bean) {
            Class<?> raw = type.getRawClass();
            if (DataStream.class.isAssignableFrom(raw)) {
                return new DataStreamSerializer();
            } else if (Model.class.isAssignableFrom(raw)) {
                return new ModelSerializer();
            }
            return null;
        }
    }

    private static final class KilnDeserializers extends Deserializers.Base {
        @Override
        public JsonDeserializer<?> findBeanDeserializer(
                JavaType type, DeserializationConfig config, BeanDescription bean) {
            Class<?> raw = type.getRawClass();
            if (DataStream.class.isAssignableFrom(raw)) {
                JavaType element = type.containedTypeOrUnknown(0);
                return new DataStreamDeserializer(element);
            } else if (Model.class.isAssignableFrom(raw)) {
                return new ModelDeserializer(raw);
            }
            return null;
        }
    }

    private static final class DataStreamSerializer extends JsonSerializer<DataStream<?>> {
        @Override
        public void serialize(DataStream<?> value, JsonGenerator gen, SerializerProvider p) throws IOException {
            DataSource source = value.source()
                    .orElseThrow(
                            () -> KilnException.invalidArgument(
                                    "A mapped or filtered data stream cannot be sent to another process; pass its source instead"));
            gen.writeTree(source.toJson());
        }
    }

    private static final class DataStreamDeserializer extends JsonDeserializer<DataStream<?>>
            implements ContextualDeserializer {
        private final JavaType element;

        DataStreamDeserializer(JavaType element) {
            this.element = element;
        }

        @Override
        public JsonDeserializer<?> createContextual(DeserializationContext ctxt, BeanProperty property) {
            JavaType type = property != null ? property.getType() : ctxt.getContextualType();
            if (type != null && DataStream.class.isAssignableFrom(type.getRawClass())) {
                return new DataStreamDeserializer(type.containedTypeOrUnknown(0));
            }
            return this;
        }

        @Override
        public DataStream<?> deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            JsonNode node = p.readValueAsTree();
            if (node.has("data_stream") && node.size() == 1) {
                node = node.get("data_stream");
            }
            FileSourcePolicy files = ctxt.getAttribute(FileSourcePolicy.class) instanceof FileSourcePolicy given
                    ? given
                    : FileSourcePolicy.unrestricted();
            return DataStream.open(DataSource.fromJson(node), element, files);
        }
    }

    private static final class ModelSerializer extends JsonSerializer<Model> {
        @Override
        public void serialize(Model value, JsonGenerator gen, SerializerProvider p) throws IOException {
            gen.writeStartObject();
            gen.writeStringField("model_bytes", Base64.getEncoder().encodeToString(ModelFormat.toBytes(value)));
            gen.writeEndObject();
        }
    }

    private static final class ModelDeserializer extends JsonDeserializer<Model> {
        private final Class<?> type;

        ModelDeserializer(Class<?> type) {
            this.type = type;
        }

        @Override
        public Model deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            JsonNode node = p.readValueAsTree();
            Model model;
            if (node.hasNonNull("model_bytes")) {
                model = ModelFormat.fromBytes(
                        Base64.getDecoder().decode(node.get("model_bytes").asText()), ModuleRegistry.global());
            } else if (node.hasNonNull("model_path")) {
                model = ModelFormat.load(Path.of(node.get("model_path").asText()));
            } else {
                throw KilnException.invalidArgument(
                        "A model parameter must be {\"model_path\": …} or " + "{\"model_bytes\": …}");
            }
            if (!type.isInstance(model)) {
                throw KilnException.invalidArgument("Expected a model of type " + type.getSimpleName() + " but got "
                        + model.module().name());
            }
            return model;
        }
    }
}
