package io.nanoclaw.host.channels.telegram;

import io.nanoclaw.host.testkit.HostWithoutContainers;
import java.util.HashMap;
import java.util.Map;

/** The host without containers, with the Telegram channel pointed at the shared {@link FakeTelegram}. */
public class TelegramProfile extends HostWithoutContainers {
    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> m = new HashMap<>(super.getConfigOverrides());
        m.put("TELEGRAM_BOT_TOKEN", FakeTelegram.TOKEN);
        m.put("TELEGRAM_API_BASE_URL", FakeTelegram.shared().baseUrl());
        m.put("TELEGRAM_POLL_TIMEOUT", "2");
        return m;
    }
}
