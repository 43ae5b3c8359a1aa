package io.nanoclaw.host.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;

/**
 * The Docker bridge address on this machine: agent containers reach the host's credential proxy there (as
 * host.docker.internal). It is a local interface, not the outside network. Container tests fail, never skip, when
 * it is missing: CI starts a Docker engine first.
 */
public final class DockerBridge {
    private DockerBridge() {}

    public static String address() {
        try {
            NetworkInterface nif = NetworkInterface.getByName("docker0");
            if (nif != null) {
                var addrs = nif.getInetAddresses();
                while (addrs.hasMoreElements()) {
                    InetAddress a = addrs.nextElement();
                    if (a instanceof java.net.Inet4Address) {
                        return a.getHostAddress();
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read network interfaces", e);
        }
        throw new IllegalStateException("no Docker bridge (docker0): start a Docker engine "
                + "(./nanoclaw test does it) before running the container tests");
    }

    public static int freePort(String address) {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(address))) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port on " + address, e);
        }
    }
}
