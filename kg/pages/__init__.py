"""Pages for people: an event with its evidence, an actor, (and the timeline and network).

The pages read the graph only through the SPARQL of kg.pages.sparql, so a remote store serves them as well;
kg.pages.views turns the rows into what a template shows; kg.pages.templating renders them. The endpoint runs the
queries in its worker pool (kg/server/pages.py); nothing here touches a store or a request.
"""
