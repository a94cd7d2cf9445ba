"""The conversations of Vécus, independent of Telegram: an engine that takes the current state
and one event and returns the new state and the replies (catalogue keys and choices)."""

from flows.engine import Choice, Engine, Event, Reply
from flows.followup import FollowUp
from flows.home import HomeMenu
from flows.services import Services, StoreServices
from flows.testimony import Testimony


def build_engine() -> Engine:
    return Engine([Testimony(), FollowUp()], HomeMenu())


__all__ = ["Choice", "Engine", "Event", "Reply", "Services", "StoreServices", "build_engine"]
