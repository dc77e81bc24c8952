"""What the bot asked a message's author when capture was unsure, and the answers."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, select

from storage.models import CaptureQuestion


class CaptureQuestions:
    def __init__(self, session: Session):
        self._s = session

    def ask(self, **fields) -> CaptureQuestion:
        """Keep a new question; its id names it on the Yes and No buttons."""
        question = CaptureQuestion(**fields)
        self._s.add(question)
        self._s.flush()
        return question

    def get(self, question_id: int) -> CaptureQuestion | None:
        return self._s.get(CaptureQuestion, question_id)

    def for_message(self, transport: str, room: str, message_id: str) -> CaptureQuestion | None:
        """The question asked about a message, if any."""
        return self._s.exec(
            select(CaptureQuestion).where(
                CaptureQuestion.transport == transport,
                CaptureQuestion.room == room,
                CaptureQuestion.message_id == message_id,
            )
        ).first()

    def answer(self, question: CaptureQuestion, status: str, now: datetime) -> None:
        question.status = status
        question.answered_at = now
        self._s.add(question)
        self._s.flush()
