"""Chat sessions: a signed-in user's conversation with the assistant (owner only).

Anonymous chat keeps no history, so it has no session rows.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class ChatSession(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="chat_sessions")
    title = models.CharField(max_length=120)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("-updated_at",)
        indexes = [models.Index(fields=("user", "-updated_at"))]


class ChatMessage(models.Model):
    """One turn: the user's message, or the assistant's answer with its tool calls."""

    ROLES = (("user", "user"), ("assistant", "assistant"))

    session = models.ForeignKey(ChatSession, on_delete=models.CASCADE, related_name="messages")
    role = models.CharField(max_length=16, choices=ROLES)
    content = models.TextField()
    parsed = models.JSONField(null=True, blank=True)  # the request's parse (user turns)
    tool_calls = models.JSONField(default=list, blank=True)
    offer_ids = models.JSONField(default=list, blank=True)
    engine = models.CharField(max_length=80, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("created_at", "id")
