package dev.tributary.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PoolSettingsTest {

    @Test
    void defaultsSuitAWebApp() {
        PoolSettings d = PoolSettings.defaults();
        assertThat(d.initialSize()).isEqualTo(1);
        assertThat(d.maxSize()).isEqualTo(10);
        assertThat(d.minIdle()).isZero();
        assertThat(d.maxIdleTime()).isEqualTo(Duration.ofMinutes(10));
        assertThat(d.maxLifeTime()).isEqualTo(Duration.ofMinutes(30));
        assertThat(d.maxAcquireTime()).isEqualTo(Duration.ofSeconds(10));
        assertThat(d.validationQuery()).isNull();
        assertThat(d.acquireRetry()).isEqualTo(1);
        assertThat(d.postAllocate()).isNull();
        assertThat(d.preRelease()).isNull();
    }

    @Test
    void settersCheckTheirArgumentAndNameTheField() {
        assertThatThrownBy(() -> PoolSettings.builder().maxSize(0)).hasMessageContaining("maxSize").hasMessageContaining("0");
        assertThatThrownBy(() -> PoolSettings.builder().initialSize(-1)).hasMessageContaining("initialSize");
        assertThatThrownBy(() -> PoolSettings.builder().minIdle(-1)).hasMessageContaining("minIdle");
        assertThatThrownBy(() -> PoolSettings.builder().acquireRetry(-1)).hasMessageContaining("acquireRetry");
        assertThatThrownBy(() -> PoolSettings.builder().maxIdleTime(Duration.ZERO)).hasMessageContaining("maxIdleTime");
        assertThatThrownBy(() -> PoolSettings.builder().maxAcquireTime(Duration.ofSeconds(-1))).hasMessageContaining("maxAcquireTime");
        assertThatThrownBy(() -> PoolSettings.builder().maxLifeTime(null)).isInstanceOf(NullPointerException.class).hasMessageContaining("maxLifeTime");
        assertThatThrownBy(() -> PoolSettings.builder().validationQuery(" ")).hasMessageContaining("validationQuery");
        assertThatThrownBy(() -> PoolSettings.builder().postAllocateSql("")).hasMessageContaining("postAllocateSql");
    }

    @Test
    void buildChecksRulesAcrossFields() {
        assertThatThrownBy(() -> PoolSettings.builder().maxSize(2).initialSize(3).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("initialSize (3) must not exceed maxSize (2)");
        assertThatThrownBy(() -> PoolSettings.builder().maxSize(2).minIdle(3).build())
                .hasMessageContaining("minIdle (3) must not exceed maxSize (2)");
    }

    @Test
    void toBuilderCopiesEverySetting() {
        PoolSettings s = PoolSettings.builder().maxSize(3).initialSize(2).minIdle(1).validationQuery("SELECT 1")
                .maxIdleTime(Duration.ofSeconds(7)).acquireRetry(4).build();
        PoolSettings copy = s.toBuilder().build();
        assertThat(copy.toString()).isEqualTo(s.toString());
        assertThat(s.toBuilder().maxSize(5).build().maxSize()).isEqualTo(5);
        assertThat(s.maxSize()).isEqualTo(3);
    }
}
