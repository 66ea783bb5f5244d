package dev.kiln.trainer.base;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TrainingIdsTest {
    private static final String V4 = "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}";

    @Test
    void generatesDistinctVersionFourUuids() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String id = TrainingIds.next();
            assertThat(id).matches(V4);
            assertThat(UUID.fromString(id).version()).isEqualTo(4);
            ids.add(id);
        }
        assertThat(ids).hasSize(10_000);
    }

    @Test
    void takesSixteenBytesOfTheSourcePerIdAndSetsVersionAndVariant() {
        byte[] bytes = new byte[4096];
        for (int i = 0; i < 16; i++) {
            bytes[i] = (byte) 0xFF;
        }
        TrainingIds ids = new TrainingIds(new ByteArrayInputStream(bytes));
        assertThat(ids.nextId()).isEqualTo("ffffffff-ffff-4fff-bfff-ffffffffffff");
        assertThat(ids.nextId()).isEqualTo("00000000-0000-4000-8000-000000000000");
    }

    @Test
    void writesEachIdsBytesAsUuidWritesThem() {
        byte[] bytes = new byte[4096];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i * 37 + 11);
        }
        TrainingIds ids = new TrainingIds(new ByteArrayInputStream(bytes.clone()));
        for (int id = 0; id < 256; id++) {
            long msb = 0;
            long lsb = 0;
            for (int i = 0; i < 8; i++) {
                msb = (msb << 8) | (bytes[id * 16 + i] & 0xFF);
                lsb = (lsb << 8) | (bytes[id * 16 + 8 + i] & 0xFF);
            }
            msb = (msb & ~0xF000L) | 0x4000L;
            lsb = (lsb & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
            assertThat(ids.nextId()).isEqualTo(new UUID(msb, lsb).toString());
        }
    }

    @Test
    void fallsBackToSecureRandomWhenTheSourceRunsDryOrFails() {
        TrainingIds dry = new TrainingIds(new ByteArrayInputStream(new byte[4096]));
        for (int i = 0; i < 256; i++) {
            assertThat(dry.nextId()).isEqualTo("00000000-0000-4000-8000-000000000000");
        }
        assertThat(dry.nextId()).matches(V4).isNotEqualTo("00000000-0000-4000-8000-000000000000");

        TrainingIds failing = new TrainingIds(new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("unreadable");
            }
        });
        assertThat(failing.nextId()).matches(V4);
        assertThat(new TrainingIds(null).nextId()).matches(V4);
    }
}
