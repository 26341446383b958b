"""Contact details out of free text before it leaves the back office (pages, exports, the digest).

One implementation for the whole portal: ``feedback.masking.mask_text``.
"""

from feedback.masking import mask_text

__all__ = ["mask_text"]
