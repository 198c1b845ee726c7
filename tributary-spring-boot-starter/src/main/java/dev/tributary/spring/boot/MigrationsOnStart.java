package dev.tributary.spring.boot;

import dev.tributary.core.Databases;
import dev.tributary.core.MigrationReport;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import reactor.core.scheduler.Schedulers;

/**
 * Migrates every {@link Databases} bean as soon as it is created, before any bean that injects it is: a
 * repository, a seeder or the web server only ever see migrated databases. The startup thread waits for
 * {@link Databases#migrate()} (Flyway runs on {@code boundedElastic}); an error fails the startup. Turned off by
 * {@code tributary.migration.enabled=false}.
 */
final class MigrationsOnStart implements BeanPostProcessor {

    private static final Log log = LogFactory.getLog(MigrationsOnStart.class);

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof Databases databases) {
            if (Schedulers.isInNonBlockingThread()) {
                throw new IllegalStateException("Tributary migrations cannot wait on the non-blocking thread "
                        + Thread.currentThread().getName() + "; create the '" + beanName + "' bean at startup");
            }
            MigrationReport report = databases.migrate().block();
            if (report != null) {
                report.databases().forEach(e -> log.info("Tributary migrations of '" + e.name() + "': " + e.outcome()
                        + (e.version() == null ? "" : ", version " + e.version())
                        + (e.migrationsApplied() == 0 ? "" : " (" + e.migrationsApplied() + " applied)")));
            }
        }
        return bean;
    }
}
