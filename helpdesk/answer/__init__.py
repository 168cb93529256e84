"""Answering with the knowledge base: suggestions on the ticket, articles linked to answers,
canned responses per queue, the "no article answers this" backlog and the content-gap report.

models.py     ArticleUse, MissingArticle, CannedResponse (models of the helpdesk app)
languages.py  which knowledge-base language a ticket is answered in
selectors.py  reads: suggestions, articles used, canned responses, backlog, gap report
services.py   writes: record article uses (called by ticket_reply), mark/unmark, compose texts
views.py      the ticket page's panel and composer tools, the backlog and the gap report
"""
