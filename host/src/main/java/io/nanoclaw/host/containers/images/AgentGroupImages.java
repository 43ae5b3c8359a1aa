package io.nanoclaw.host.containers.images;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.BuildImageCmd;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Image;
import io.nanoclaw.host.config.HostConfig;
import io.nanoclaw.host.containers.DockerClientProvider;
import io.nanoclaw.host.containers.InstallId;
import io.nanoclaw.host.db.Db;
import io.nanoclaw.host.entities.AgentGroup;
import io.nanoclaw.host.entities.AgentGroups;
import io.nanoclaw.host.entities.Now;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.jboss.logging.Logger;

/**
 * Per-agent-group images (host.md 5.5, 6.3 install_packages): the agent image plus the group's apt and npm
 * packages, built locally by the engine's legacy builder from an in-memory context, and recorded in
 * container_configs.image_tag, which the container runner uses when set.
 *
 * <p>Tags are {@code nanoclaw-agent-<folder slug>:<12 hex>}, the hex being the start of a hash over the base image's
 * id and the generated Dockerfile (packages, install id, group id): the same inputs give the same tag, so a request
 * for what is already installed builds nothing, and a new agent image (after ./nanoclaw setup) gives a new tag.
 * Every image carries the labels {@code nanoclaw-install}, {@code nanoclaw-agent-group} and {@code nanoclaw.packages};
 * clean-up only ever removes images that carry this install's and the group's labels, and never the base image.
 *
 * <p>Nothing is pulled: the base must exist locally, and the build runs with pull off. The packages themselves come
 * from the Debian mirror in the base image's apt sources and from the npm registry, at build time.
 */
@Singleton
public class AgentGroupImages {
    private static final Logger LOG = Logger.getLogger(AgentGroupImages.class);
    public static final String GROUP_LABEL = "nanoclaw-agent-group";
    public static final String PACKAGES_LABEL = "nanoclaw.packages";
    static final String REPOSITORY_PREFIX = "nanoclaw-agent-";
    /** apt and npm over a slow home connection can take a while; a build that hangs longer than this is stuck. */
    static final long BUILD_TIMEOUT_MINUTES = 60;

    @Inject
    HostConfig config;
    @Inject
    DockerClientProvider docker;
    @Inject
    InstallId installId;
    @Inject
    Db db;
    @Inject
    AgentGroups agentGroups;

    private final ObjectMapper mapper = new ObjectMapper();
    /** One build or clean-up per group at a time; different groups build in parallel. */
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();
    /** Builds sent to the engine; lets a test tell "up to date" from "rebuilt to the same result". */
    private final AtomicInteger buildsStarted = new AtomicInteger();

    /**
     * What a test may change: the base image (null: CONTAINER_IMAGE), extra labels (they change the hash like a
     * package would) and the build's network (null: the engine's default, which apt and npm need).
     */
    record Options(String baseImage, Map<String, String> extraLabels, String networkMode) {}

    /** A group's installed packages and current image as stored. */
    record Stored(List<String> apt, List<String> npm, String imageTag) {}

    /**
     * Adds packages to an agent group's image and rebuilds it; returns the image tag now stored for the group.
     * Packages installed before are kept. When nothing changes, returns the existing tag without building.
     *
     * @throws IllegalArgumentException for a bad request (names, count, unknown group); nothing was built
     * @throws ImageBuildException when the image could not be built; the group's config and image are unchanged
     */
    public String build(String agentGroupId, List<String> apt, List<String> npm) {
        PackageNames.validateRequest(apt, npm);
        return build(agentGroupId, apt, npm, configured());
    }

    /**
     * Rebuilds a group's image with the packages it already has, for example after the agent image changed. A
     * group without packages goes back to the agent image: its own images are removed and image_tag cleared.
     * Returns the image the group now runs.
     */
    public String rebuild(String agentGroupId) {
        Stored s = stored(agentGroupId);
        if (s.apt().isEmpty() && s.npm().isEmpty()) {
            removeAll(agentGroupId);
            return config.containerImage();
        }
        return build(agentGroupId, List.of(), List.of(), configured());
    }

    /** The operator's build network (IMAGE_BUILD_NETWORK), else the engine's default. */
    private Options configured() {
        return new Options(null, Map.of(), config.imageBuildNetwork().orElse(null));
    }

    /** The seam: no 1-20 rule (the request rule), so a test can build with no packages at all. */
    String build(String agentGroupId, List<String> apt, List<String> npm, Options o) {
        List<String> newApt = apt == null ? List.of() : apt;
        List<String> newNpm = npm == null ? List.of() : npm;
        PackageNames.validateNames(newApt, newNpm);
        ReentrantLock lock = lock(agentGroupId);
        lock.lock();
        try {
            AgentGroup g = agentGroups.byId(agentGroupId)
                    .orElseThrow(() -> new IllegalArgumentException("no agent group " + agentGroupId));
            Stored s = stored(g.id());
            try {
                PackageNames.validateNames(s.apt(), s.npm());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("agent group " + g.id() + ": the stored packages are invalid ("
                        + e.getMessage() + "); fix container_configs first", e);
            }
            List<String> allApt = merge(s.apt(), newApt);
            List<String> allNpm = merge(s.npm(), newNpm);
            if (allApt.size() + allNpm.size() > PackageNames.MAX_INSTALLED) {
                throw new IllegalArgumentException("agent group " + g.id() + " would have more than "
                        + PackageNames.MAX_INSTALLED + " packages");
            }
            String base = o.baseImage() != null ? o.baseImage() : config.containerImage();
            String baseId = baseImageId(base);

            Map<String, String> labels = new TreeMap<>(o.extraLabels());
            labels.put(InstallId.LABEL, installId.value());
            labels.put(GROUP_LABEL, g.id());
            String hash = sha256("nanoclaw group image v1\nbase-id " + baseId + "\n"
                    + GroupDockerfile.render(base, allApt, allNpm, labels));
            labels.put(PACKAGES_LABEL, hash);
            String tag = repository(g) + ":" + hash.substring(0, 12);

            if (isOurs(tag, g.id(), hash)) {
                if (!tag.equals(s.imageTag()) || !allApt.equals(s.apt()) || !allNpm.equals(s.npm())) {
                    store(g.id(), tag, allApt, allNpm);
                }
                prune(g.id(), tag, base);
                LOG.infof("agent group %s: image %s is up to date", g.id(), tag);
                return tag;
            }

            String dockerfile = GroupDockerfile.render(base, allApt, allNpm, labels);
            LOG.infof("agent group %s: building image %s from %s (apt: %s; npm: %s)", g.id(), tag, base,
                    allApt.isEmpty() ? "-" : String.join(" ", allApt), allNpm.isEmpty() ? "-" : String.join(" ", allNpm));
            long started = System.nanoTime();
            try {
                runBuild(g.id(), tag, dockerfile, o.networkMode(), base, baseId);
            } catch (ImageBuildException e) {
                // What a failed build left (intermediate images carry the labels) goes; the current image stays.
                prune(g.id(), s.imageTag(), base);
                throw e;
            }
            store(g.id(), tag, allApt, allNpm);
            LOG.infof("agent group %s: image %s built in %d s", g.id(), tag,
                    TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
            prune(g.id(), tag, base);
            return tag;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Removes every image of this group (when the group is deleted) and clears its image_tag if the row is still
     * there. An image a container still uses stays; the janitor retries it. Returns how many were removed.
     */
    public int removeAll(String agentGroupId) {
        ReentrantLock lock = lock(agentGroupId);
        lock.lock();
        try {
            int n = prune(agentGroupId, null, config.containerImage());
            db.update("UPDATE container_configs SET image_tag = NULL, updated_at = ? "
                    + "WHERE agent_group_id = ? AND image_tag IS NOT NULL", Now.iso(), agentGroupId);
            return n;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Removes this install's group images that no group uses any more: superseded tags that were still in use
     * when their group was rebuilt, leftovers of failed builds, images of deleted groups. Groups busy building are
     * skipped until the next run. Returns how many were removed.
     */
    public int pruneAll() {
        Set<String> groups = new HashSet<>();
        for (Image i : docker.get().listImagesCmd().withLabelFilter(Map.of(InstallId.LABEL, installId.value())).exec()) {
            String g = i.getLabels() == null ? null : i.getLabels().get(GROUP_LABEL);
            if (g != null) {
                groups.add(g);
            }
        }
        int n = 0;
        for (String g : groups) {
            ReentrantLock lock = lock(g);
            if (!lock.tryLock()) {
                continue;
            }
            try {
                String current = db.one("SELECT image_tag FROM container_configs WHERE agent_group_id = ?",
                        rs -> rs.getString(1), g).orElse(null);
                n += prune(g, current, config.containerImage());
            } finally {
                lock.unlock();
            }
        }
        return n;
    }

    int buildsStarted() {
        return buildsStarted.get();
    }

    // --- building -----------------------------------------------------------------------------------------------

    private void runBuild(String groupId, String tag, String dockerfile, String networkMode, String base,
                          String baseId) {
        byte[] context = TarContext.of(Map.of("Dockerfile", dockerfile.getBytes(StandardCharsets.UTF_8)));
        BuildOutput out = new BuildOutput(groupId);
        buildsStarted.incrementAndGet();
        String failure = null;
        try (InputStream in = new ByteArrayInputStream(context)) {
            BuildImageCmd cmd = docker.get().buildImageCmd()
                    .withTarInputStream(in)
                    .withTags(Set.of(tag))
                    // There is no registry: the base is local (checked above) and must never be looked up.
                    .withPull(false)
                    .withRemove(true)
                    .withForcerm(true);
            if (networkMode != null) {
                cmd.withNetworkMode(networkMode);
            }
            cmd.exec(out);
            if (!out.awaitCompletion(BUILD_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                failure = "the build took longer than " + BUILD_TIMEOUT_MINUTES + " minutes";
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = "interrupted";
        } catch (IOException | RuntimeException e) {
            failure = oneLine(e);
        } finally {
            try {
                out.close();
            } catch (IOException ignored) {
                // the stream is done either way
            }
        }
        if (failure == null && out.error() != null) {
            failure = out.error();
        }
        if (failure == null) {
            Optional<InspectImageResponse> built = inspect(tag);
            if (built.isEmpty()) {
                failure = "the build ended without producing " + tag;
            } else if (!baseId.equals(built.get().getId()) && !descendsFrom(built.get(), baseId)) {
                // The agent image was rebuilt while this one built: the label says one base, the layers another.
                failure = base + " changed during the build; try again";
            }
        }
        if (failure != null) {
            List<String> tail = out.tail();
            LOG.warnf("agent group %s: image build failed: %s", groupId, failure);
            throw new ImageBuildException("the image for agent group " + groupId + " could not be built: "
                    + failure + (tail.isEmpty() ? "" : "; the build's last output:"), tail);
        }
    }

    /** The legacy builder records each step's image as the next one's parent, down to the base. */
    private boolean descendsFrom(InspectImageResponse image, String baseId) {
        String parent = image.getParent();
        for (int depth = 0; parent != null && !parent.isEmpty() && depth < 64; depth++) {
            if (parent.equals(baseId)) {
                return true;
            }
            parent = inspect(parent).map(InspectImageResponse::getParent).orElse(null);
        }
        return false;
    }

    private String baseImageId(String base) {
        return inspect(base).map(InspectImageResponse::getId).orElseThrow(() -> new ImageBuildException(
                "the agent image " + base + " is missing: run ./nanoclaw setup", List.of()));
    }

    /** True when the tag exists and is the image these inputs would build (labels and hash match). */
    private boolean isOurs(String tag, String groupId, String hash) {
        return inspect(tag).map(i -> {
            Map<String, String> l = i.getConfig() == null ? null : i.getConfig().getLabels();
            return l != null && installId.value().equals(l.get(InstallId.LABEL)) && groupId.equals(l.get(GROUP_LABEL))
                    && hash.equals(l.get(PACKAGES_LABEL));
        }).orElse(false);
    }

    private Optional<InspectImageResponse> inspect(String image) {
        try {
            return Optional.of(docker.get().inspectImageCmd(image).exec());
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }

    // --- removing -----------------------------------------------------------------------------------------------

    /**
     * Removes the group's images (found by this install's and the group's labels) except the one tagged keepTag
     * (null: keep none) and except the base. Images still in use are left and logged.
     */
    private int prune(String groupId, String keepTag, String base) {
        DockerClient c = docker.get();
        String baseId = inspect(base).map(InspectImageResponse::getId).orElse(null);
        int removed = 0;
        List<Image> images = c.listImagesCmd()
                .withLabelFilter(Map.of(InstallId.LABEL, installId.value(), GROUP_LABEL, groupId)).exec();
        for (Image i : images) {
            List<String> tags = i.getRepoTags() == null ? List.of() : Arrays.stream(i.getRepoTags())
                    .filter(t -> !t.equals("<none>:<none>")).toList();
            if (i.getId().equals(baseId) || tags.contains(base) || (keepTag != null && tags.contains(keepTag))) {
                continue;
            }
            // By tag, and only our own tags: a name someone else gave the image is theirs, and then it stays.
            List<String> targets = tags.isEmpty() ? List.of(i.getId())
                    : tags.stream().filter(t -> t.startsWith(REPOSITORY_PREFIX)).toList();
            for (String t : targets) {
                try {
                    c.removeImageCmd(t).withForce(false).exec();
                    removed++;
                    LOG.infof("agent group %s: removed image %s", groupId, t);
                } catch (NotFoundException gone) {
                    // removed meanwhile, or with a child image removed just before
                } catch (ConflictException inUse) {
                    LOG.infof("agent group %s: image %s is still in use, removal retried later (%s)", groupId, t,
                            oneLine(inUse));
                } catch (RuntimeException e) {
                    LOG.warnf("agent group %s: removing image %s failed: %s", groupId, t, oneLine(e));
                }
            }
        }
        return removed;
    }

    // --- the config row -----------------------------------------------------------------------------------------

    Stored stored(String groupId) {
        return db.one("SELECT packages_apt, packages_npm, image_tag FROM container_configs WHERE agent_group_id = ?",
                        rs -> new Stored(names(groupId, "packages_apt", rs.getString(1)),
                                names(groupId, "packages_npm", rs.getString(2)), rs.getString(3)), groupId)
                .orElseThrow(() -> new IllegalArgumentException("agent group " + groupId + " has no container config"));
    }

    private List<String> names(String groupId, String column, String json) {
        if (json == null || json.isBlank()) {
            return List.of();
        }
        try {
            JsonNode n = mapper.readTree(json);
            if (n != null && n.isArray()) {
                List<String> out = new ArrayList<>();
                for (JsonNode e : n) {
                    if (!e.isTextual()) {
                        break;
                    }
                    out.add(e.asText());
                }
                if (out.size() == n.size()) {
                    return out;
                }
            }
        } catch (JsonProcessingException e) {
            // reported below
        }
        throw new IllegalArgumentException("agent group " + groupId + ": container_configs." + column
                + " is not a JSON array of package names");
    }

    private void store(String groupId, String tag, List<String> apt, List<String> npm) {
        try {
            db.update("UPDATE container_configs SET image_tag = ?, packages_apt = ?, packages_npm = ?, updated_at = ? "
                            + "WHERE agent_group_id = ?", tag, mapper.writeValueAsString(apt),
                    mapper.writeValueAsString(npm), Now.iso(), groupId);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    // --- helpers ------------------------------------------------------------------------------------------------

    /** Installed first, in their order, then the new ones not yet there. */
    static List<String> merge(List<String> installed, List<String> requested) {
        LinkedHashSet<String> all = new LinkedHashSet<>(installed);
        all.addAll(requested);
        return List.copyOf(all);
    }

    /**
     * The repository part of a group's tags: the folder (unique per install, readable in `docker images`) as a
     * Docker repository name, which allows lower case, digits and separators only.
     */
    static String repository(AgentGroup g) {
        String slug = slug(g.folder());
        return REPOSITORY_PREFIX + (slug.isEmpty() ? slug(g.id()) : slug);
    }

    static String slug(String s) {
        String out = Objects.requireNonNullElse(s, "").toLowerCase(java.util.Locale.ROOT)
                .replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        return out.length() > 64 ? out.substring(0, 64).replaceAll("-+$", "") : out;
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private ReentrantLock lock(String groupId) {
        return locks.computeIfAbsent(groupId, k -> new ReentrantLock());
    }

    /** docker-java's messages carry JSON and line breaks. */
    private static String oneLine(Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        m = m.replaceAll("\\s+", " ").strip();
        return m.length() > 300 ? m.substring(0, 300) + "…" : m;
    }
}
