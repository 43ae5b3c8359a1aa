package io.nanoclaw.runner.provider;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * An SSLContext whose trust store loads on the first TLS handshake, not when the HttpClient is built. In a
 * container the model API is the host's plain-http credential proxy, so TLS is rarely used, yet the JDK's default
 * context parses the whole CA bundle up front: some 100 ms of start-up and a few MB of heap and metaspace. The
 * checks themselves are the JDK's default trust manager's, unchanged.
 */
final class LazyTrust extends X509ExtendedTrustManager {
    private volatile X509ExtendedTrustManager delegate;

    static SSLContext context() {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {new LazyTrust()}, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no TLS in this runtime", e);
        }
    }

    private X509ExtendedTrustManager delegate() throws CertificateException {
        X509ExtendedTrustManager d = delegate;
        if (d == null) {
            synchronized (this) {
                d = delegate;
                if (d == null) {
                    try {
                        TrustManagerFactory f = TrustManagerFactory.getInstance(
                                TrustManagerFactory.getDefaultAlgorithm());
                        f.init((KeyStore) null);
                        for (TrustManager tm : f.getTrustManagers()) {
                            if (tm instanceof X509ExtendedTrustManager x) {
                                d = x;
                            }
                        }
                    } catch (GeneralSecurityException e) {
                        throw new CertificateException("cannot load the default trust store", e);
                    }
                    if (d == null) {
                        throw new CertificateException("the default trust store has no X509 trust manager");
                    }
                    delegate = d;
                }
            }
        }
        return d;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        delegate().checkServerTrusted(chain, authType, engine);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        delegate().checkServerTrusted(chain, authType, socket);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        delegate().checkServerTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        delegate().checkClientTrusted(chain, authType, engine);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        delegate().checkClientTrusted(chain, authType, socket);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        delegate().checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        try {
            return delegate().getAcceptedIssuers();
        } catch (CertificateException e) {
            return new X509Certificate[0];
        }
    }
}
