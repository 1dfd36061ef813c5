"""Following by e-mail: readers subscribe to a commitment, a sector, a party, an event or
everything, with an address only, and hear when something is published.

    subscriptions.py  subscribe (double opt-in, no enumeration, rate limits), confirm, manage,
                      unsubscribe (one click), delete everything, prune unconfirmed addresses
    notify.py         who hears of a publication (Delivery rows, one per subscriber and update),
                      and sending them: at once (one e-mail per subscriber per batch) or in
                      daily/weekly digests, from the task queue, with retries and no duplicates
    mail.py           the e-mails themselves (plain text and HTML, the subscriber's language,
                      List-Unsubscribe and List-Unsubscribe-Post headers)

StatusUpdate.publish calls notify.published(update_id) once the publication has committed;
nothing here can make a publication fail."""
