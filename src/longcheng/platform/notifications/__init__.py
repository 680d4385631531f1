"""The notification centre: in-app messages for every module, with e-mail (immediate or digest).

Any module calls :func:`service.notify` with its recipients (user ids, a firm's USCC → its
enterprise users, or a role within a district), a kind, a Chinese title and body, a link to the
object and its source ``(module, entity type, entity id)``. Each recipient gets one row
(``models.Notification``) in 我的消息 (``/messages``) with an unread badge in every page's navigation.

E-mail goes out through SMTP when ``LONGCHENG_SMTP_URL`` is set and the user gave an address in
their preferences: ``immediate`` (the job kind ``notifications.send_email``, retried through a
deadline with back-off, failed after ``SMTP_MAX_ATTEMPTS``; an admin sees failed deliveries at
``/admin/notifications/failed``) or ``digest`` (the job kind ``notifications.digest``, weekly).
Default mode: enterprises get the digest, staff get each message at once.
"""
