package io.nanoclaw.host.channels;

/**
 * A button click as an adapter saw it. {@code actionId} is the button's id as the host rendered it
 * ({@code ncq:<key>:<index>}, see {@link ChoiceCard}); {@code platformMessageId} is the card's message, so the
 * host can edit it once answered.
 */
public record ActionEvent(String userHandle, String userName, String actionId, String platformMessageId) {}
