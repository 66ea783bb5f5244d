package dev.kiln.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** The YAML mapper Kiln shares, for config files and model {@code config.yml}; it knows no Kiln types. */
public final class KilnYaml {
    private KilnYaml() {}

    /** YAML without a document start marker and with minimal quotes. */
    public static ObjectMapper mapper() {
        return Holder.MAPPER;
    }

    // built on first use only: building a mapper costs tens of milliseconds in a fresh JVM
    private static final class Holder {
        static final ObjectMapper MAPPER = YAMLMapper.builder(new YAMLFactory()
                        .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                        .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES))
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .addModule(new JavaTimeModule())
                .build();
    }
}
