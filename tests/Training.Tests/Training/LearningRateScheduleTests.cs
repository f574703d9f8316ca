using CoS.Distributed.Training.Training;

namespace CoS.Distributed.Training.Tests.Training;

public class LearningRateScheduleTests
{
    [Fact]
    public void CosineStartsAtTheBaseRateAndHalvesAtMidpoint()
    {
        var schedule = new LearningRateSchedule(new TrainingOptions { Epochs = 10, LearningRate = 0.1, Schedule = ScheduleKind.Cosine });
        Assert.Equal(0.1, schedule.At(0), 12);
        Assert.Equal(0.05, schedule.At(5), 12);
        Assert.Equal(0.1 * 0.5 * (1 + Math.Cos(Math.PI * 9 / 10)), schedule.At(9), 12);
    }

    [Fact]
    public void WarmUpRisesLinearlyThenTheScheduleStarts()
    {
        var schedule = new LearningRateSchedule(new TrainingOptions { Epochs = 12, LearningRate = 0.2, WarmupEpochs = 3, Schedule = ScheduleKind.Cosine });
        Assert.Equal(0.05, schedule.At(0), 12);
        Assert.Equal(0.10, schedule.At(1), 12);
        Assert.Equal(0.15, schedule.At(2), 12);
        Assert.Equal(0.20, schedule.At(3), 12);
        Assert.True(schedule.At(4) < 0.2);
    }

    [Fact]
    public void StepDecaysByGammaEveryStepEpochs()
    {
        var schedule = new LearningRateSchedule(new TrainingOptions { Epochs = 100, LearningRate = 0.1, Schedule = ScheduleKind.Step, StepEpochs = 30, StepGamma = 0.1 });
        Assert.Equal(0.1, schedule.At(29), 12);
        Assert.Equal(0.01, schedule.At(30), 12);
        Assert.Equal(0.001, schedule.At(60), 12);
    }

    [Fact]
    public void ConstantStaysPut()
    {
        var schedule = new LearningRateSchedule(new TrainingOptions { Epochs = 5, LearningRate = 0.03, Schedule = ScheduleKind.Constant });
        Assert.All(Enumerable.Range(0, 5), e => Assert.Equal(0.03, schedule.At(e)));
    }
}
