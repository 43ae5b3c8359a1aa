package io.nanoclaw.host.containers.mounts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** container_configs.additional_mounts as stored: good entries are read, bad ones become rejections. */
class MountRequestsTest {
    @Test
    void entriesAreReadWithReadOnlyAsTheDefault() {
        RequestedMounts.Parsed p = RequestedMounts.parse("[{\"hostPath\":\"/a\"},"
                + "{\"hostPath\":\"~/b\",\"containerPath\":\"bee\",\"readonly\":false},"
                + "{\"hostPath\":\"/c\",\"readonly\":true,\"containerPath\":null}]");
        assertEquals(List.of(new RequestedMount("/a", null, true), new RequestedMount("~/b", "bee", false),
                new RequestedMount("/c", null, true)), p.mounts());
        assertEquals(List.of(), p.rejected());
    }

    @Test
    void emptyOrMissingMeansNone() {
        assertEquals(0, RequestedMounts.parse(null).mounts().size());
        assertEquals(0, RequestedMounts.parse("[]").mounts().size());
        assertEquals(0, RequestedMounts.parse(" ").rejected().size());
    }

    @Test
    void badJsonIsARejectionNotAnError() {
        RequestedMounts.Parsed p = RequestedMounts.parse("[{\"hostPath\": ");
        assertEquals(0, p.mounts().size());
        assertTrue(p.rejected().get(0).reason().contains("not valid JSON"));
        assertTrue(RequestedMounts.parse("{\"hostPath\":\"/a\"}").rejected().get(0).reason().contains("array"));
    }

    @Test
    void badEntriesAreRejectedOneByOne() {
        RequestedMounts.Parsed p = RequestedMounts.parse("[\"/a\", {\"containerPath\":\"x\"}, "
                + "{\"hostPath\":\"/b\",\"readonly\":\"false\"}, {\"hostPath\":\"/c\",\"containerPath\":3}, "
                + "{\"hostPath\":\"/ok\"}]");
        assertEquals(List.of(new RequestedMount("/ok", null, true)), p.mounts());
        assertEquals(4, p.rejected().size());
        assertTrue(p.rejected().get(2).reason().contains("readonly must be true or false"));
        assertEquals("/b", p.rejected().get(2).hostPath());
    }
}
