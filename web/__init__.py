"""The dashboard: server-rendered pages at ``/`` over the market, math and account services."""
