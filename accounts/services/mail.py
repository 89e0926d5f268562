"""Mail to users through Django's mail framework (SMTP when ``EMAIL_HOST`` is set, else the
console), with a plain-text and an HTML body rendered from ``accounts/mail/<name>.txt|html``.

Delivery happens on a background thread, so an answer never waits on (or reveals by its
timing) the SMTP conversation; a failed delivery is logged, never raised to the caller.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

log = logging.getLogger(__name__)


def mail_message(*, to: str, subject: str, template: str,
                 context: dict[str, Any]) -> EmailMultiAlternatives:
    """The message ``template`` renders for ``to`` (text body plus an HTML alternative)."""
    context = {"subject": subject, "public_url": settings.GPUBROKER_PUBLIC_URL, **context}
    text = render_to_string(f"accounts/mail/{template}.txt", context)
    html = render_to_string(f"accounts/mail/{template}.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text,
                                     from_email=settings.DEFAULT_FROM_EMAIL, to=[to])
    message.attach_alternative(html, "text/html")
    return message


def _deliver(message: EmailMultiAlternatives) -> None:
    try:
        message.send(fail_silently=False)
    except Exception:  # SMTP down or refusing: logged for operators, invisible to callers
        log.exception("mail to %d recipient(s) failed: %s", len(message.to), message.subject)


def mail_send(*, to: str, subject: str, template: str, context: dict[str, Any]) -> threading.Thread:
    """Render now, deliver on a daemon thread; returns the thread (tests may join it)."""
    thread = threading.Thread(target=_deliver, name="gpubroker-mail", daemon=True,
                              args=(mail_message(to=to, subject=subject, template=template,
                                                 context=context),))
    thread.start()
    return thread
