"""Project → Cover details…: the 申报书 cover (联系人, 联系电话, 填报日期, 推荐单位) — desktop/cover.py."""

from .dialog import CoverDialog

__all__ = ["CoverDialog"]
