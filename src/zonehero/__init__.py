"""zonehero: 四个论英雄 evaluation, enterprise cultivation and project scheduling for development zones."""

__version__ = "0.1.0"
