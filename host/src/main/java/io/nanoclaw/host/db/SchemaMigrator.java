package io.nanoclaw.host.db;

import io.quarkus.liquibase.LiquibaseFactory;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.List;
import javax.sql.DataSource;
import liquibase.Liquibase;
import org.jboss.logging.Logger;

/**
 * Brings the central DB to the changelog's shape. Liquibase costs about a second and tens of MB on every start even
 * when there is nothing to apply, so we first compare a checksum of the changelog files, recorded in
 * install_meta, using plain JDBC; Liquibase is only created (lazily, through Instance) when they differ.
 */
@Singleton
public class SchemaMigrator {
    private static final Logger LOG = Logger.getLogger(SchemaMigrator.class);
    static final String CHECKSUM_KEY = "schema_checksum";
    /** Every file the changelog includes: a change to any of them means a migration may be due. */
    static final List<String> CHANGELOG_FILES = List.of("db/changelog.xml", "db/baseline.sql");

    @Inject
    DataSource dataSource;

    @Inject
    Instance<LiquibaseFactory> liquibase;

    /** @return true when Liquibase ran, false when the recorded checksum matched. */
    public boolean migrate() {
        String checksum = changelogChecksum();
        if (checksum.equals(recordedChecksum())) {
            LOG.debugf("schema up to date (checksum %s), Liquibase skipped", checksum);
            return false;
        }
        LOG.info("applying the central DB changelog");
        try (Liquibase lb = liquibase.get().createLiquibase()) {
            lb.update(liquibase.get().createContexts(), liquibase.get().createLabels());
        } catch (Exception e) {
            throw new IllegalStateException("central DB migration failed: " + e.getMessage(), e);
        }
        record(checksum);
        return true;
    }

    static String changelogChecksum() {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (String file : CHANGELOG_FILES) {
                try (InputStream in = SchemaMigrator.class.getClassLoader().getResourceAsStream(file)) {
                    if (in == null) {
                        throw new IllegalStateException("changelog file missing from the build: " + file);
                    }
                    md.update(file.getBytes());
                    md.update(in.readAllBytes());
                }
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot checksum the changelog", e);
        }
    }

    String recordedChecksum() {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT value FROM install_meta WHERE key = ?")) {
            ps.setString(1, CHECKSUM_KEY);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (SQLException e) {
            return null; // a fresh DB has no install_meta yet
        }
    }

    private void record(String checksum) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "INSERT INTO install_meta(key, value) VALUES (?, ?) "
                             + "ON CONFLICT(key) DO UPDATE SET value = excluded.value")) {
            ps.setString(1, CHECKSUM_KEY);
            ps.setString(2, checksum);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record the schema checksum", e);
        }
    }
}
