package io.nanoclaw.host.attachments;

import java.io.IOException;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipalLookupService;

/**
 * Hands a folder the host just created inside a session to the container's uid, so the agent can tidy its inbox.
 *
 * <p>It takes an attribute view, not a path: the views {@link InboxWriter} passes are bound to an open directory
 * handle, so a symlink the container swaps in cannot make root chown something else. That is why this does not call
 * {@code SessionFolders.giveToContainer(Path)}, which resolves the path again and follows links. Files are never
 * chowned (a hard link swapped in for one could hand a host-owned file to the container); they are made 0644.
 */
@FunctionalInterface
public interface ContainerOwnership {
    void give(PosixFileAttributeView folder) throws IOException;

    /** Leaves ownership as it is (tests, or a host that runs as the container's user). */
    ContainerOwnership NONE = folder -> {};

    /**
     * The semantics of {@code SessionFolders.giveToContainer}: owner and group become {@code uid}, only when the host
     * runs as root (otherwise host and container share one user and there is nothing to hand over).
     */
    static ContainerOwnership ofUid(int uid) {
        if (!"root".equals(System.getProperty("user.name"))) {
            return NONE;
        }
        return folder -> {
            UserPrincipalLookupService lookup = java.nio.file.FileSystems.getDefault().getUserPrincipalLookupService();
            folder.setOwner(lookup.lookupPrincipalByName(Integer.toString(uid)));
            folder.setGroup(lookup.lookupPrincipalByGroupName(Integer.toString(uid)));
        };
    }
}
