"""Shared objects handed to routes as typed dependencies (built once, in the app factory).

The getters are ``async`` so FastAPI calls them inline: a plain ``def`` would cost a thread-pool
hop per dependency per request.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.templating import Jinja2Templates

from lifecat.core.config import Settings
from lifecat.endpoint.workers import QueryRunner
from lifecat.graph.search_index import CurrentIndex
from lifecat.graph.store import Store


async def get_settings(request: Request) -> Settings:
    return request.app.state.settings


async def get_store(request: Request) -> Store:
    return request.app.state.store


async def get_search(request: Request) -> CurrentIndex:
    return request.app.state.search


async def get_templates(request: Request) -> Jinja2Templates:
    return request.app.state.templates


SettingsDep = Annotated[Settings, Depends(get_settings)]
StoreDep = Annotated[Store, Depends(get_store)]
TemplatesDep = Annotated[Jinja2Templates, Depends(get_templates)]
SearchDep = Annotated[CurrentIndex, Depends(get_search)]


async def get_pool(request: Request) -> QueryRunner:
    return request.app.state.pool


PoolDep = Annotated[QueryRunner, Depends(get_pool)]
